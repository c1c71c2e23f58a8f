package org.ntx.server;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Installs {@link ApiErrorReportValve} in place of Tomcat's HTML error report. */
@Configuration(proxyBeanMethods = false)
class TomcatErrorConfig {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> apiErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ApiErrorReportValve.class.getName());
            }
        });
    }
}
