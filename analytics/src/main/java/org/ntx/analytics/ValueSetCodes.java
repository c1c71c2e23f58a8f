package org.ntx.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The expansions of the FHIR package's value sets that the measures join against (opioid agonists, long-acting
 * opioids, agonists with a sequestered antagonist, opioid urine drug screens), as the table
 * {@code value_set_codes(value_set, system, code)}. The same files the server's terminology layer reads.
 */
final class ValueSetCodes {

    static final List<String> VALUE_SETS = List.of("opioid-agonists", "long-acting-opioids",
            "opioid-agonists-with-sequestered-antagonist", "opioid-urine-drug-screens");

    private ValueSetCodes() {}

    static void register(SparkSession spark) {
        ObjectMapper json = new ObjectMapper();
        List<Row> rows = new ArrayList<>();
        for (String name : VALUE_SETS) {
            JsonNode valueSet;
            try {
                valueSet = json.readTree(SqlScripts.read("valuesets/ValueSet-" + name + ".json"));
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable value set " + name, e);
            }
            int before = rows.size();
            for (JsonNode contains : valueSet.path("expansion").path("contains")) {
                addContains(name, contains, rows);
            }
            if (rows.size() == before) {
                // As the server's ValueSetIndex: the enumerated compose when no expansion is shipped.
                for (JsonNode include : valueSet.path("compose").path("include")) {
                    for (JsonNode concept : include.path("concept")) {
                        rows.add(RowFactory.create(name, include.path("system").asText(), concept.path("code").asText()));
                    }
                }
            }
            if (rows.size() == before) {
                throw new IllegalStateException("value set " + name + " has no codes in the package");
            }
        }
        StructType schema = new StructType()
                .add("value_set", DataTypes.StringType, false)
                .add("system", DataTypes.StringType, false)
                .add("code", DataTypes.StringType, false);
        spark.createDataFrame(rows, schema).distinct().cache().createOrReplaceTempView("value_set_codes");
    }

    private static void addContains(String name, JsonNode contains, List<Row> rows) {
        if (contains.hasNonNull("system") && contains.hasNonNull("code")) {
            rows.add(RowFactory.create(name, contains.get("system").asText(), contains.get("code").asText()));
        }
        for (JsonNode nested : contains.path("contains")) {
            addContains(name, nested, rows);
        }
    }
}
