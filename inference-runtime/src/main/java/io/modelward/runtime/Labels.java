package io.modelward.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Class labels from {@code synset.txt} (one per line) or TorchServe's {@code index_to_name.json}. */
final class Labels {

    private Labels() {
    }

    static List<String> read(Path file) {
        try {
            if (file.getFileName().toString().endsWith(".json")) {
                JsonNode root = JsonMapper.builder().build().readTree(Files.readString(file));
                Map<Integer, String> byIndex = new TreeMap<>();
                for (Map.Entry<String, JsonNode> e : root.properties()) {
                    JsonNode v = e.getValue();
                    byIndex.put(Integer.parseInt(e.getKey()), v.isArray() ? v.get(v.size() - 1).asString() : v.asString());
                }
                List<String> labels = new ArrayList<>();
                byIndex.forEach((i, label) -> {
                    while (labels.size() < i) {
                        labels.add(String.valueOf(labels.size()));
                    }
                    labels.add(label);
                });
                return List.copyOf(labels);
            }
            return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        }
        catch (IOException | RuntimeException ex) {
            throw new StartupException("Cannot read the labels file " + file.getFileName() + ": " + ex.getMessage(), ex);
        }
    }
}
