package io.modelward;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The ModelWard portal: web UI, REST API and security around the catalog and the deployer. */
@SpringBootApplication
@ConfigurationPropertiesScan("io.modelward.portal")
@EnableScheduling
public class ModelWardApplication {

    public static void main(String[] args) {
        SpringApplication.run(ModelWardApplication.class, args);
    }
}
