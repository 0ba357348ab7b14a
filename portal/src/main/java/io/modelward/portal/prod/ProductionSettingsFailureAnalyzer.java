package io.modelward.portal.prod;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns missing production settings into Spring Boot's "APPLICATION FAILED TO START" report, one line each. */
class ProductionSettingsFailureAnalyzer extends AbstractFailureAnalyzer<ProductionSettingsException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, ProductionSettingsException cause) {
        return new FailureAnalysis("The prod profile is missing settings or has invalid ones:\n - "
                + String.join("\n - ", cause.problems()),
                "Give each setting above (as a property or its environment variable; the README's Configuration "
                        + "table lists them all). The prod profile never falls back to the embedded defaults.",
                cause);
    }
}
