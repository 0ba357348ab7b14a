package io.modelward.portal.web;

import io.modelward.deployer.CreateDeployment;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.Resources;
import io.modelward.deployer.ScaleMetric;
import org.jspecify.annotations.Nullable;

/** The deploy form, with the defaults a first deployment wants. */
public class DeployForm {

    private @Nullable String name;
    private @Nullable String model;
    private @Nullable String version;
    private DeploymentTarget target = DeploymentTarget.LOCAL;
    private @Nullable String namespace;
    private @Nullable Integer minReplicas = 1;
    private @Nullable Integer maxReplicas = 2;
    private ScaleMetric metric = ScaleMetric.INFLIGHT;
    private @Nullable Integer scaleTarget = 4;
    private @Nullable Integer idleSeconds = 0;
    private String cpuRequest = Resources.DEFAULT.cpuRequest();
    private String cpuLimit = Resources.DEFAULT.cpuLimit();
    private String memoryRequest = Resources.DEFAULT.memoryRequest();
    private String memoryLimit = Resources.DEFAULT.memoryLimit();

    CreateDeployment toRequest() {
        return new CreateDeployment(name, model, version, target, namespace, minReplicas, maxReplicas, metric,
                scaleTarget, idleSeconds, cpuRequest, cpuLimit, memoryRequest, memoryLimit);
    }

    public @Nullable String getName() {
        return name;
    }

    public void setName(@Nullable String name) {
        this.name = name;
    }

    public @Nullable String getModel() {
        return model;
    }

    public void setModel(@Nullable String model) {
        this.model = model;
    }

    public @Nullable String getVersion() {
        return version;
    }

    public void setVersion(@Nullable String version) {
        this.version = version;
    }

    public DeploymentTarget getTarget() {
        return target;
    }

    public void setTarget(DeploymentTarget target) {
        this.target = target;
    }

    public @Nullable String getNamespace() {
        return namespace;
    }

    public void setNamespace(@Nullable String namespace) {
        this.namespace = namespace;
    }

    public @Nullable Integer getMinReplicas() {
        return minReplicas;
    }

    public void setMinReplicas(@Nullable Integer minReplicas) {
        this.minReplicas = minReplicas;
    }

    public @Nullable Integer getMaxReplicas() {
        return maxReplicas;
    }

    public void setMaxReplicas(@Nullable Integer maxReplicas) {
        this.maxReplicas = maxReplicas;
    }

    public ScaleMetric getMetric() {
        return metric;
    }

    public void setMetric(ScaleMetric metric) {
        this.metric = metric;
    }

    public @Nullable Integer getScaleTarget() {
        return scaleTarget;
    }

    public void setScaleTarget(@Nullable Integer scaleTarget) {
        this.scaleTarget = scaleTarget;
    }

    public @Nullable Integer getIdleSeconds() {
        return idleSeconds;
    }

    public void setIdleSeconds(@Nullable Integer idleSeconds) {
        this.idleSeconds = idleSeconds;
    }

    public String getCpuRequest() {
        return cpuRequest;
    }

    public void setCpuRequest(String cpuRequest) {
        this.cpuRequest = cpuRequest;
    }

    public String getCpuLimit() {
        return cpuLimit;
    }

    public void setCpuLimit(String cpuLimit) {
        this.cpuLimit = cpuLimit;
    }

    public String getMemoryRequest() {
        return memoryRequest;
    }

    public void setMemoryRequest(String memoryRequest) {
        this.memoryRequest = memoryRequest;
    }

    public String getMemoryLimit() {
        return memoryLimit;
    }

    public void setMemoryLimit(String memoryLimit) {
        this.memoryLimit = memoryLimit;
    }
}
