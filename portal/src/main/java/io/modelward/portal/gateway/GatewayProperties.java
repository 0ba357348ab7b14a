package io.modelward.portal.gateway;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The gateway and its audit writer, under {@code modelward.gateway}.
 *
 * @param timeout how long a model may take to answer before the caller gets 504
 * @param activationTimeout how long a request waits for a deployment scaled to zero to wake
 * @param maxBodySize the largest request body forwarded
 * @param maxResponseSize the largest runtime answer accepted
 * @param audit the group-commit audit writer
 * @param intake how request bodies are received before a thread serves them
 */
@ConfigurationProperties("modelward.gateway")
public record GatewayProperties(@DefaultValue("30s") Duration timeout, @DefaultValue("60s") Duration activationTimeout,
        @DefaultValue("64MB") DataSize maxBodySize, @DefaultValue("64MB") DataSize maxResponseSize,
        @DefaultValue Audit audit, @DefaultValue Intake intake) {

    /**
     * @param chainId this portal's audit chain (each replica keeps its own); defaults to {@code gateway-<host>}
     * @param queueSize records waiting for the writer; past that, requests are refused with 503
     * @param batchSize the most records in one transaction
     * @param maxWait how long the writer waits for more records before committing a batch; with the default 0 it
     *        commits what is queued at once, and what arrives during that commit forms the next batch, so a lone
     *        request never waits for company while busy ones still share their commits
     */
    public record Audit(@Nullable String chainId, @DefaultValue("10000") int queueSize,
            @DefaultValue("500") int batchSize, @DefaultValue("0ms") Duration maxWait) {
    }

    /**
     * Request bodies are read without holding a thread, then served: these bound what slow or greedy clients can hold.
     *
     * @param bodyGrace how long a body may take before the minimum rate applies
     * @param minBodyRate the bytes per second a body must average after the grace; slower ones get 408
     * @param maxRequestsPerClient inference requests in flight (receiving or served) per client address; past that, 429
     * @param maxRequests inference requests in flight from all clients; past that, 503
     * @param maxBuffered request bytes held in memory at once, all requests together; past that, 503
     */
    public record Intake(@DefaultValue("10s") Duration bodyGrace, @DefaultValue("16KB") DataSize minBodyRate,
            @DefaultValue("100") int maxRequestsPerClient, @DefaultValue("2000") int maxRequests,
            @DefaultValue("512MB") DataSize maxBuffered) {
    }
}
