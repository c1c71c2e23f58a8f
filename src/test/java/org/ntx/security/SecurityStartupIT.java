package org.ntx.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.ntx.Application;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.NestedExceptionUtils;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Started the way an operator starts it, on all interfaces without authentication, the server refuses before it opens
 * a database or a port. (Not through {@code RunningServer}, which always binds loopback by design.)
 */
@ExtendWith(OutputCaptureExtension.class)
class SecurityStartupIT {

    @Test
    void refusesToStartOnAllInterfacesWithoutAuthentication(@TempDir Path dataDir, CapturedOutput output) {
        Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(Application.class).run(
                "--server.address=0.0.0.0", "--server.port=0", "--ntx.data-dir=" + dataDir));

        assertThat(NestedExceptionUtils.getMostSpecificCause(failure))
                .isInstanceOf(ExposureGuardConfig.InsecureExposureException.class)
                .hasMessageContaining("ntx.security.enabled=true")
                .hasMessageContaining("ntx.security.allow-insecure=true");
        assertThat(dataDir).as("the embedded database was never opened").isEmptyDirectory();
        assertThat(output.getAll()).doesNotContain("Tomcat initialized").doesNotContain("Tomcat started");
    }
}
