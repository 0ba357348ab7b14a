package io.modelward;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The ModelWard portal: web UI, REST API and security around the catalog and the deployer. */
@SpringBootApplication
@ConfigurationPropertiesScan("io.modelward.portal")
public class ModelWardApplication {

    public static void main(String[] args) {
        SpringApplication.run(ModelWardApplication.class, args);
    }
}
