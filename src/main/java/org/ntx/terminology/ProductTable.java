package org.ntx.terminology;

import org.ntx.timeline.Code;
import org.ntx.timeline.DrugClass;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Products whose class or exposure the value sets do not carry: HCPCS administration codes (J2315 naltrexone depot,
 * Q9991/Q9992 Sublocade, J0577/J0578 Brixadi, J0570 buprenorphine implant, ...) and the depot and implanted
 * buprenorphine RxNorm products with how long one administration lasts. Read from
 * {@code fhir-profiles/terminology/medication-products.csv}; each row names its source (VSAC set, label section).
 */
final class ProductTable {

    static final String RESOURCE = "fhir-profiles/terminology/medication-products.csv";

    record Product(Code code, String display, DrugClass drugClass, Optional<Duration> exposurePerUse) {
    }

    private final Map<Code, Product> products;

    private ProductTable(Map<Code, Product> products) {
        this.products = Map.copyOf(products);
    }

    static ProductTable fromClasspath() {
        try (InputStream in = ProductTable.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is not on the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            Map<Code, Product> products = new HashMap<>();
            String header = reader.readLine();
            if (header == null || !header.startsWith("system,code,display,drug_class,exposure")) {
                throw new IOException(RESOURCE + " has an unexpected header: " + header);
            }
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = csv(line);
                Code code = CodeSystems.canonical(new Code(cells.get(0), cells.get(1)));
                Optional<Duration> exposure = cells.get(4).isBlank() ? Optional.empty()
                        : Optional.of(Duration.parse(cells.get(4)));
                products.put(code, new Product(code, cells.get(2), DrugClass.valueOf(cells.get(3)), exposure));
            }
            return new ProductTable(products);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the medication product table", e);
        }
    }

    Optional<Product> get(Code code) {
        return Optional.ofNullable(products.get(code));
    }

    /** One CSV line with double-quoted cells ("" inside quotes is a quote). */
    static List<String> csv(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
