package io.modelward.deployer;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.stereotype.Component;

/**
 * Requests in flight and the last request time of each deployment, as the gateway reports them. The reconciler reads
 * them to autoscale by in-flight requests and to scale idle deployments to zero.
 */
@Component
public class DeploymentTraffic {

    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Clock clock;

    public DeploymentTraffic() {
        this(Clock.systemUTC());
    }

    DeploymentTraffic(Clock clock) {
        this.clock = clock;
    }

    /** A request to the deployment begins; closing the lease ends it. */
    public Lease begin(String deployment) {
        Counter counter = counter(deployment);
        counter.inFlight.incrementAndGet();
        counter.lastActivity = clock.instant();
        return new Lease(counter);
    }

    /** Counts as activity without a request (an activation, a start). */
    void touch(String deployment) {
        counter(deployment).lastActivity = clock.instant();
    }

    int inFlight(String deployment) {
        Counter counter = counters.get(deployment);
        return counter == null ? 0 : counter.inFlight.get();
    }

    Instant lastActivity(String deployment) {
        return counter(deployment).lastActivity;
    }

    void forget(String deployment) {
        counters.remove(deployment);
    }

    private Counter counter(String deployment) {
        return counters.computeIfAbsent(deployment, name -> new Counter(clock.instant()));
    }

    private final class Counter {

        final AtomicInteger inFlight = new AtomicInteger();
        volatile Instant lastActivity;

        Counter(Instant now) {
            this.lastActivity = now;
        }
    }

    /** One request in flight. */
    public final class Lease implements AutoCloseable {

        private final Counter counter;
        private boolean closed;

        private Lease(Counter counter) {
            this.counter = counter;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                counter.inFlight.decrementAndGet();
                counter.lastActivity = clock.instant();
            }
        }
    }
}
