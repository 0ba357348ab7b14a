package io.modelward.portal.prod;

import java.util.List;

/** The {@code prod} profile lacks settings it needs; each problem is one sentence naming the setting. */
public class ProductionSettingsException extends IllegalStateException {

    private final List<String> problems;

    public ProductionSettingsException(List<String> problems) {
        super("The prod profile cannot start:\n - " + String.join("\n - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
