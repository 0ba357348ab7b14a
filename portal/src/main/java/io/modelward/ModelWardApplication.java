package io.modelward;

import java.util.Arrays;

import io.modelward.portal.audit.AuditVerifyCommand;
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
        if (args.length > 0 && AuditVerifyCommand.NAME.equals(args[0])) {
            System.exit(AuditVerifyCommand.run(Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
        }
        SpringApplication.run(ModelWardApplication.class, args);
    }
}
