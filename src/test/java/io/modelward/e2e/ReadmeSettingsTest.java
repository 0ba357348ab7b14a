package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The README documents every setting ModelWard has: each component of every {@code @ConfigurationProperties} record in
 * the portal, catalog and deployer, nested ones included, is named in its Configuration table.
 */
class ReadmeSettingsTest {

    static final Path README = Path.of(System.getProperty("modelward.repo.root", "../..")).resolve("README.md");

    @Test
    void namesEverySettingOfEveryModuleInTheConfigurationTable() throws Exception {
        List<String> lines = Files.readAllLines(README).stream().filter(line -> line.startsWith("| `")).toList();
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        List<String> settings = new ArrayList<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("io.modelward")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).value();
            settings(prefix, type, settings);
        }
        assertThat(settings).as("settings found").hasSizeGreaterThan(40)
                .contains("modelward.deployer.kubernetes.runtime-image", "modelward.gateway.audit.queue-size");
        assertThat(settings).allSatisfy(name -> assertThat(documented(name, lines))
                .as(name + " has a row in the README's Configuration table").isTrue());
    }

    /** Full name in a row, or a row for a sibling that lists it as {@code `.leaf`}. */
    private static boolean documented(String name, List<String> rows) {
        String parent = name.substring(0, name.lastIndexOf('.'));
        String leaf = name.substring(name.lastIndexOf('.'));
        return rows.stream().anyMatch(row -> row.contains("`" + name) || row.startsWith("| `" + parent + ".")
                && row.substring(0, row.indexOf(" | ", 2)).contains("`" + leaf + "`"));
    }

    private static void settings(String prefix, Class<?> type, List<String> into) {
        if (!type.isRecord()) {
            return;
        }
        for (RecordComponent component : type.getRecordComponents()) {
            String name = prefix + "." + kebab(component.getName());
            if (component.getType().isRecord() && component.getType().getName().startsWith("io.modelward")) {
                settings(name, component.getType(), into);
            }
            else {
                into.add(name);
            }
        }
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

}
