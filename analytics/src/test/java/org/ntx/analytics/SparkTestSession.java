package org.ntx.analytics;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for all tests of the run: a session costs seconds to start, and Spark allows one active
 * SparkContext per JVM anyway. Two cores, UI off, loopback (SPARK_LOCAL_IP is set by Surefire).
 */
final class SparkTestSession {

    private static SparkSession session;

    private SparkTestSession() {}

    static synchronized SparkSession get() {
        if (session == null) {
            System.setProperty("spark.master", "local[2]");
            System.setProperty("spark.ui.enabled", "false");
            System.setProperty("spark.sql.shuffle.partitions", "4");
            session = OutcomeJob.session();
        }
        return session;
    }
}
