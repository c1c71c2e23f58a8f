package org.ntx.analytics;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Files the driver writes itself (report, small tables, plots, downloaded export files), through Hadoop's FileSystem
 * so the same code writes to a local folder, HDFS or S3 ({@code s3a://}, with hadoop-aws on the classpath). Nothing in
 * the job opens a java.io.File for its input or output.
 */
final class HadoopFiles {

    private final Configuration configuration;
    private final String root;

    HadoopFiles(Configuration configuration, String root) {
        this.configuration = configuration;
        this.root = root.endsWith("/") ? root.substring(0, root.length() - 1) : root;
    }

    String path(String relative) {
        return root + "/" + relative;
    }

    void writeText(String relative, String text) {
        write(relative, text.getBytes(StandardCharsets.UTF_8));
    }

    void write(String relative, byte[] bytes) {
        Path path = new Path(path(relative));
        try {
            FileSystem fs = path.getFileSystem(configuration);
            try (FSDataOutputStream out = fs.create(path, true)) {
                out.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    void copy(String relative, InputStream in) {
        Path path = new Path(path(relative));
        try {
            FileSystem fs = path.getFileSystem(configuration);
            try (FSDataOutputStream out = fs.create(path, true)) {
                in.transferTo(out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + path, e);
        }
    }

    static URI uri(String location) {
        return new Path(location).toUri();
    }
}
