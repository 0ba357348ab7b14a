package io.modelward.runtime;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The runtime's settings. Each comes from a flag {@code --name=value} or, failing that, from the environment variable
 * {@code MODELWARD_NAME} (upper case, dashes as underscores), e.g. {@code --model-uri} or {@code MODELWARD_MODEL_URI}.
 *
 * @param modelUri where the model file is: {@code file:} or {@code http(s):}
 * @param sha256 the SHA-256 the model file must have; the runtime refuses to start on any other
 * @param format how the model is packaged; guessed from the file name when not given
 * @param modelName the name clients use in URLs
 * @param modelVersion the version reported in metadata
 * @param labelsUri an optional labels file ({@code synset.txt} or {@code index_to_name.json})
 * @param labelsSha256 the SHA-256 the labels file must have, when given
 * @param propertiesFile optional pre- and post-processing settings (see {@link Processing})
 * @param processing overrides of the processing settings given as flags, e.g. {@code --image-crop=224}
 * @param host the address to listen on
 * @param port the port to listen on (0 picks a free one)
 * @param workers how many worker threads, each with its own predictor
 * @param intraOpThreads libtorch threads per worker
 * @param batchSize the largest batch the dynamic batcher forms
 * @param maxBatchDelayMs how long the batcher waits for a batch to fill; 0 (the default) batches only what is
 *        already queued, which adds no latency at low load and still forms batches under load
 * @param queueSize how many requests may wait; past that, callers get 503 at once
 * @param token the internal token every inference call must carry, or null for none
 * @param artifactToken a bearer token sent when fetching the model over http(s)
 * @param maxBodyBytes the largest request body accepted
 * @param maxInflightBytes how many bytes of request bodies may be held at once; past that, 503 at once
 * @param workDir where downloaded and unpacked models go
 */
public record RuntimeConfig(URI modelUri, String sha256, ModelFormat format, String modelName, String modelVersion,
        @Nullable URI labelsUri, @Nullable String labelsSha256, @Nullable Path propertiesFile,
        Map<String, String> processing, String host, int port, int workers, int intraOpThreads, int batchSize,
        int maxBatchDelayMs, int queueSize, @Nullable String token, @Nullable String artifactToken,
        long maxBodyBytes, long maxInflightBytes, Path workDir) {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern NAME = Pattern.compile("[a-z0-9]([-a-z0-9_.]*[a-z0-9])?");

    public RuntimeConfig {
        processing = Map.copyOf(processing);
    }

    /** Reads the settings from flags and the environment, or says precisely what is wrong. */
    public static RuntimeConfig parse(String[] args, Map<String, String> env) {
        Map<String, String> flags = new HashMap<>();
        for (String arg : args) {
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new StartupException("Unrecognised argument '" + arg + "': use --name=value.");
            }
            flags.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Settings s = new Settings(flags, env);
        URI modelUri = uri("model-uri", s.required("model-uri"));
        String sha256 = s.required("sha256").strip();
        if (!SHA256.matcher(sha256).matches()) {
            throw new StartupException("--sha256 must be the model file's SHA-256: 64 hex digits.");
        }
        String path = modelUri.getPath() == null ? "" : modelUri.getPath();
        String fileName = path.substring(path.lastIndexOf('/') + 1);
        if (fileName.isEmpty()) {
            fileName = "model";
        }
        ModelFormat format = s.optional("format") == null ? ModelFormat.guess(fileName)
                : enumValue("format", s.optional("format"));
        String defaultName = fileName.replaceFirst("\\.[^.]*$", "").toLowerCase(Locale.ROOT);
        String modelName = s.get("model-name", defaultName);
        if (!NAME.matcher(modelName).matches()) {
            throw new StartupException("--model-name '" + modelName + "' must be lower-case letters, digits, '-', '_' "
                    + "and '.'.");
        }
        String labelsSha = s.optional("labels-sha256");
        if (labelsSha != null && !SHA256.matcher(labelsSha).matches()) {
            throw new StartupException("--labels-sha256 must be 64 hex digits.");
        }
        Map<String, String> processing = new HashMap<>();
        env.forEach((k, v) -> {
            if (k.startsWith("MODELWARD_IMAGE_") || k.startsWith("MODELWARD_INPUT_") || k.startsWith("MODELWARD_OUTPUT_")) {
                // MODELWARD_OUTPUT_ALLOW_NON_FINITE is output.allow-non-finite, as the flag --output-allow-non-finite
                String name = k.substring("MODELWARD_".length()).toLowerCase(Locale.ROOT).replace('_', '-')
                        .replaceFirst("-", ".");
                processing.put(name, v);
            }
        });
        flags.forEach((k, v) -> {
            if (k.startsWith("image-") || k.startsWith("input-") || k.startsWith("output-")) {
                processing.put(k.replaceFirst("-", "."), v);
            }
        });
        int cpus = Runtime.getRuntime().availableProcessors();
        int intraOp = s.integer("intra-op-threads", 1, 1, 256);
        return new RuntimeConfig(modelUri, sha256.toLowerCase(Locale.ROOT), format, modelName,
                s.get("model-version", "1"), s.optional("labels-uri") == null ? null : uri("labels-uri",
                        s.optional("labels-uri")), labelsSha == null ? null : labelsSha.toLowerCase(Locale.ROOT),
                s.optional("properties") == null ? null : Path.of(s.optional("properties")), processing,
                s.get("host", "0.0.0.0"), s.integer("port", 8080, 0, 65535),
                s.integer("workers", Math.max(1, cpus / intraOp), 1, 256), intraOp,
                s.integer("batch-size", 8, 1, 1024), s.integer("max-batch-delay-ms", 0, 0, 10_000),
                s.integer("queue-size", 100, 1, 1_000_000), s.optional("token"), s.optional("artifact-token"),
                s.integer("max-body-mb", 64, 1, 2047) * 1024L * 1024L,
                Math.max(s.integer("max-inflight-mb", 512, 1, 1_000_000), s.integer("max-body-mb", 64, 1, 2047))
                        * 1024L * 1024L,
                Path.of(s.get("work-dir", System.getProperty("java.io.tmpdir") + "/modelward-runtime")));
    }

    private static URI uri(String name, String value) {
        try {
            URI uri = value.contains(":") ? URI.create(value) : Path.of(value).toAbsolutePath().toUri();
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("file") && !scheme.equals("http") && !scheme.equals("https")) {
                throw new StartupException("--" + name + " must be a file:, http: or https: URI, not '" + value + "'.");
            }
            return uri;
        }
        catch (IllegalArgumentException ex) {
            throw new StartupException("--" + name + " is not a valid URI: '" + value + "'.");
        }
    }

    private static ModelFormat enumValue(String name, String value) {
        try {
            return ModelFormat.valueOf(value.toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new StartupException("--" + name + " must be TORCHSCRIPT, MAR or ONNX, not '" + value + "'.");
        }
    }

    /** Flags first, then the environment. */
    private record Settings(Map<String, String> flags, Map<String, String> env) {

        @Nullable String optional(String name) {
            String value = flags.get(name);
            if (value == null) {
                value = env.get("MODELWARD_" + name.toUpperCase(Locale.ROOT).replace('-', '_'));
            }
            return value == null || value.isBlank() ? null : value;
        }

        String get(String name, String fallback) {
            String value = optional(name);
            return value == null ? fallback : value;
        }

        String required(String name) {
            String value = optional(name);
            if (value == null) {
                throw new StartupException("--" + name + " (or MODELWARD_" + name.toUpperCase(Locale.ROOT).replace('-',
                        '_') + ") is required.");
            }
            return value;
        }

        int integer(String name, int fallback, int min, int max) {
            String value = optional(name);
            if (value == null) {
                return fallback;
            }
            try {
                int n = Integer.parseInt(value.strip());
                if (n < min || n > max) {
                    throw new StartupException("--" + name + " must be between " + min + " and " + max + ", not " + n
                            + ".");
                }
                return n;
            }
            catch (NumberFormatException ex) {
                throw new StartupException("--" + name + " must be a whole number, not '" + value + "'.");
            }
        }
    }
}
