package org.ntx.analytics;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The salted pseudonyms of the server's de-identified CSV export (org.ntx.outcomes.DeidentifiedExport), computed the
 * same way so that a patient has the same pseudonym in both: HMAC-SHA256 keyed with the salt's UTF-8 bytes, over the
 * patient's FHIR logical id in UTF-8, as lower-case hex, first 16 characters. Without a salt a random 32-byte key is
 * drawn, as the server does, and pseudonyms cannot be linked to any other run.
 *
 * <p>Registered as the SQL function {@code ntx_pseudonym(patient_id)}; {@code ntx_pdc_text(pdc)} formats a proportion
 * of days covered as the server's CSV does ({@code %.3f}).
 */
final class Pseudonyms implements Serializable {

    private final byte[] key;
    private final boolean salted;
    private transient Mac mac;

    Pseudonyms(String salt) {
        this.salted = salt != null && !salt.isBlank();
        this.key = salted ? salt.getBytes(StandardCharsets.UTF_8) : randomKey();
    }

    boolean salted() {
        return salted;
    }

    synchronized String pseudonym(String patientId) {
        if (mac == null) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is not available", e);
            }
        }
        return HexFormat.of().formatHex(mac.doFinal(patientId.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    static String pdcText(Double pdc) {
        return pdc == null ? null : String.format(Locale.ROOT, "%.3f", pdc);
    }

    void register(SparkSession spark) {
        Pseudonyms self = this;
        spark.udf().register("ntx_pseudonym", (UDF1<String, String>) id -> id == null ? null : self.pseudonym(id),
                DataTypes.StringType);
        spark.udf().register("ntx_pdc_text", (UDF1<Double, String>) Pseudonyms::pdcText, DataTypes.StringType);
    }

    private static byte[] randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return key;
    }
}
