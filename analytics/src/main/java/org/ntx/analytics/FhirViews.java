package org.ntx.analytics;

import au.csiro.pathling.library.io.source.QueryableDataSource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Applies the SQL-on-FHIR ViewDefinitions shipped in {@code fhir-profiles/views/} (packed into the job's jar under
 * {@code views/}) with Pathling, and registers each result as a Spark temporary view of the same name. Three of
 * Pathling's habits are handled here:
 * <ul>
 *   <li>a resource type absent from the export makes Pathling's {@code view()} throw; such a view becomes an empty
 *       table with the view's columns, so a cohort without, say, Encounters still runs;</li>
 *   <li>{@code getReferenceKey(Patient)} is NULL for references that are not {@code Patient/<id>} (urn:uuid: in raw
 *       transaction bundles): such rows cannot be attributed to a patient. They are counted and reported, never
 *       silently dropped;</li>
 *   <li>checkpointing or caching a view's own plan shifts values between columns (see {@link #register}).</li>
 * </ul>
 * Every column comes out as a string (dateTime and decimal included); the SQL casts.
 */
final class FhirViews {

    /** The views the measures read, by name (file name without .json). */
    static final List<String> USED = List.of("patients", "transfers_out");

    /** Rows per view, and of those the rows whose patient could not be read from the reference. */
    record Counts(long rows, long unattributed) {}

    private FhirViews() {}

    static Map<String, Counts> register(SparkSession spark, QueryableDataSource data) {
        ObjectMapper json = new ObjectMapper();
        Set<String> present = data.getResourceTypes();
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (String name : USED) {
            String definition = SqlScripts.read("views/" + name + ".json");
            JsonNode view;
            try {
                view = json.readTree(definition);
            } catch (IOException e) {
                throw new UncheckedIOException("unreadable ViewDefinition " + name, e);
            }
            String resource = view.get("resource").asText();
            Dataset<Row> table = present.contains(resource)
                    ? data.view(resource).json(definition).execute()
                    : empty(spark, view);
            // Materialised once: the views' plans (Pathling's encoders) are too large to analyse again at every use.
            // Through external rows first: Pathling 9.4's view plans put some columns of their physical output in a
            // different order than their schema says, so a checkpoint or cache of the plan itself shifts values into
            // the wrong columns (seen on medication_dispenses, liver_results, urine_drug_screens); rows read by name
            // are right.
            table = spark.createDataFrame(table.javaRDD(), table.schema()).localCheckpoint(true);
            table.createOrReplaceTempView(name);
            long rows = table.count();
            long unattributed = table.schema().getFieldIndex("patient_id").isDefined()
                    ? table.filter(table.col("patient_id").isNull()).count() : 0;
            counts.put(name, new Counts(rows, unattributed));
        }
        return counts;
    }

    private static Dataset<Row> empty(SparkSession spark, JsonNode view) {
        List<StructField> fields = new ArrayList<>();
        for (JsonNode select : view.path("select")) {
            for (JsonNode column : select.path("column")) {
                fields.add(DataTypes.createStructField(column.get("name").asText(), DataTypes.StringType, true));
            }
        }
        return spark.createDataFrame(List.<Row>of(), new StructType(fields.toArray(StructField[]::new)));
    }
}
