package io.modelward.portal.audit;

import ca.uhn.fhir.context.FhirContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The one FHIR R4 context of the application: it scans the model classes once, which takes seconds. */
@Configuration(proxyBeanMethods = false)
class AuditConfiguration {

    @Bean
    FhirContext fhirContext() {
        return FhirContext.forR4();
    }
}
