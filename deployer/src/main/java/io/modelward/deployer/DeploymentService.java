package io.modelward.deployer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.ProblemException;
import io.modelward.governance.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Deploys approved model versions and manages the deployments: every action is validated (a bad spec creates
 * nothing), authorized on the server (researchers manage their own deployments, admins all) and audited in the same
 * transaction. Backends pick the change up on the reconciler's next pass, which each action asks for at once.
 */
@Service
public class DeploymentService {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    static final int MAX_REPLICAS = 100;
    static final int MAX_IDLE_SECONDS = 7 * 24 * 3600;

    private final DeploymentRepository deployments;
    private final AuditLog audit;
    private final DeployerProperties properties;
    private final Reconciler reconciler;

    DeploymentService(DeploymentRepository deployments, AuditLog audit, DeployerProperties properties,
            Reconciler reconciler) {
        this.deployments = deployments;
        this.audit = audit;
        this.properties = properties;
        this.reconciler = reconciler;
    }

    @Transactional
    public DeploymentView create(Actor actor, CreateDeployment request) {
        if (!actor.has(Role.RESEARCHER) && !actor.isAdmin()) {
            throw audit.denied(new GovernanceEvent(actor, GovernanceAction.DEPLOYMENT_CREATED, request.model(),
                    request.version(), request.name(), "Only researchers and admins deploy models."));
        }
        DeploymentSpec spec = validate(request);
        if (deployments.exists(spec.name())) {
            throw ProblemException.conflict("duplicate-deployment", "A deployment named '" + spec.name()
                    + "' exists already; choose another name.");
        }
        long versionId = deployments.approvedVersionId(spec.model(), spec.version()).orElseThrow(() -> {
            String state = deployments.versionState(spec.model(), spec.version()).orElse(null);
            return state == null ? ProblemException.unprocessable("unknown-version", "There is no version '"
                    + spec.version() + "' of model '" + spec.model() + "' in the catalog.")
                    : ProblemException.unprocessable("version-not-approved", "Only APPROVED versions deploy; "
                            + spec.model() + " " + spec.version() + " is " + state + ".");
        });
        long id = deployments.insert(spec, versionId, actor.subject());
        String summary = describe(spec);
        deployments.addEvent(id, actor.subject(), "CREATED", summary);
        audit.record(new GovernanceEvent(actor, GovernanceAction.DEPLOYMENT_CREATED, spec.model(), spec.version(),
                spec.name(), summary));
        reconciler.requestPass();
        return view(spec.name());
    }

    @Transactional
    public DeploymentView scale(Actor actor, String name, @Nullable Integer minReplicas, @Nullable Integer maxReplicas) {
        DeploymentRepository.Row row = manageable(actor, name, GovernanceAction.DEPLOYMENT_SCALED);
        int min = minReplicas == null ? row.spec().minReplicas() : minReplicas;
        int max = maxReplicas == null ? row.spec().maxReplicas() : maxReplicas;
        List<SpecProblem> problems = new ArrayList<>();
        checkReplicas(min, max, problems);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid("invalid-deployment",
                    String.join(" ", problems.stream().map(SpecProblem::message).toList()));
        }
        deployments.updateScale(row.id(), min, max);
        String detail = "replicas " + row.spec().minReplicas() + "–" + row.spec().maxReplicas() + " → " + min + "–" + max;
        deployments.addEvent(row.id(), actor.subject(), "SCALED", detail);
        audit.record(new GovernanceEvent(actor, GovernanceAction.DEPLOYMENT_SCALED, row.spec().model(),
                row.spec().version(), name, detail));
        reconciler.requestPass();
        return view(name);
    }

    @Transactional
    public DeploymentView stop(Actor actor, String name) {
        return setDesired(actor, name, DesiredState.STOPPED, GovernanceAction.DEPLOYMENT_STOPPED);
    }

    @Transactional
    public DeploymentView start(Actor actor, String name) {
        DeploymentRepository.Row row = manageable(actor, name, GovernanceAction.DEPLOYMENT_STARTED);
        if (!"APPROVED".equals(row.versionState())) {
            throw ProblemException.conflict("version-not-approved", "Only APPROVED versions run; " + row.spec().model()
                    + " " + row.spec().version() + " is " + row.versionState() + ".");
        }
        return setDesired(actor, name, DesiredState.RUNNING, GovernanceAction.DEPLOYMENT_STARTED);
    }

    @Transactional
    public void delete(Actor actor, String name) {
        DeploymentRepository.Row row = manageable(actor, name, GovernanceAction.DEPLOYMENT_DELETED);
        deployments.delete(row.id());
        audit.record(new GovernanceEvent(actor, GovernanceAction.DEPLOYMENT_DELETED, row.spec().model(),
                row.spec().version(), name, "deleted " + describe(row.spec())));
        reconciler.forget(row.spec());
    }

    @Transactional(readOnly = true)
    public List<DeploymentView> list() {
        return deployments.findAll().stream().map(row -> view(row, List.of())).toList();
    }

    @Transactional(readOnly = true)
    public DeploymentView view(String name) {
        DeploymentRepository.Row row = deployments.find(name).orElseThrow(() -> notFound(name));
        return view(row, deployments.events(row.id(), 50));
    }

    /** Whether this person may scale, stop, start or delete the deployment (for pages that hide what is refused). */
    public boolean canManage(Actor actor, DeploymentView deployment) {
        return actor.isAdmin() || (actor.has(Role.RESEARCHER) && actor.subject().equals(deployment.owner()));
    }

    private DeploymentView setDesired(Actor actor, String name, DesiredState desired, GovernanceAction action) {
        DeploymentRepository.Row row = manageable(actor, name, action);
        if (row.spec().desiredState() != desired) {
            deployments.updateDesiredState(row.id(), desired);
            deployments.addEvent(row.id(), actor.subject(), desired == DesiredState.RUNNING ? "STARTED" : "STOPPED",
                    desired == DesiredState.RUNNING ? "started" : "stopped");
            audit.record(new GovernanceEvent(actor, action, row.spec().model(), row.spec().version(), name,
                    desired.name().toLowerCase()));
            reconciler.requestPass();
        }
        return view(name);
    }

    private DeploymentRepository.Row manageable(Actor actor, String name, GovernanceAction action) {
        DeploymentRepository.Row row = deployments.findForUpdate(name).orElseThrow(() -> notFound(name));
        boolean owner = actor.has(Role.RESEARCHER) && actor.subject().equals(row.owner());
        if (!owner && !actor.isAdmin()) {
            throw audit.denied(new GovernanceEvent(actor, action, row.spec().model(), row.spec().version(), name,
                    "Only the owner of deployment '" + name + "' (" + row.owner() + ") or an admin may change it."));
        }
        return row;
    }

    private DeploymentView view(DeploymentRepository.Row row, List<DeploymentEvent> events) {
        return new DeploymentView(row.spec(), row.owner(), row.createdAt(), row.status(), row.readyReplicas(),
                row.desiredReplicas(), row.endpoint(), row.message(), row.observedAt(), events);
    }

    private static ProblemException notFound(String name) {
        return ProblemException.notFound("There is no deployment named '" + name + "'.");
    }

    /**
     * Every problem of a request, each with the field it concerns and a sentence, for forms that show them inline;
     * empty when the request is valid (name clashes and the version's state are checked on create).
     */
    public List<SpecProblem> problems(CreateDeployment request) {
        List<SpecProblem> problems = new ArrayList<>();
        spec(request, problems);
        return problems;
    }

    /** Every problem of the request at once, each in a sentence; a valid request becomes the spec. */
    DeploymentSpec validate(CreateDeployment request) {
        List<SpecProblem> problems = new ArrayList<>();
        DeploymentSpec spec = spec(request, problems);
        if (!problems.isEmpty()) {
            throw ProblemException.invalid("invalid-deployment",
                    String.join(" ", problems.stream().map(SpecProblem::message).toList()));
        }
        return spec;
    }

    private DeploymentSpec spec(CreateDeployment r, List<SpecProblem> problems) {
        String name = r.name() == null ? "" : r.name().strip();
        if (name.isEmpty()) {
            problems.add(new SpecProblem("name", "Give the deployment a name."));
        }
        else if (name.length() > 63 || !DNS_LABEL.matcher(name).matches()) {
            problems.add(new SpecProblem("name", "The name '" + name + "' must be a DNS label: at most 63 lower-case letters, digits and '-', "
                    + "starting and ending with a letter or digit."));
        }
        if (r.model() == null || r.model().isBlank() || r.version() == null || r.version().isBlank()) {
            problems.add(new SpecProblem("version", "Name the model and the version to deploy."));
        }
        DeploymentTarget target = r.target() == null ? properties.defaultTarget() : r.target();
        String namespace = r.namespace() == null || r.namespace().isBlank() ? properties.defaultNamespace()
                : r.namespace().strip();
        if (namespace.length() > 63 || !DNS_LABEL.matcher(namespace).matches()) {
            problems.add(new SpecProblem("namespace", "The namespace '" + namespace + "' must be a DNS label."));
        }
        int min = r.minReplicas() == null ? 1 : r.minReplicas();
        int max = r.maxReplicas() == null ? Math.max(1, min) : r.maxReplicas();
        checkReplicas(min, max, problems);
        ScaleMetric metric = r.metric() == null ? ScaleMetric.CPU : r.metric();
        int scaleTarget = r.scaleTarget() == null ? (metric == ScaleMetric.CPU ? 70 : 4) : r.scaleTarget();
        if (metric == ScaleMetric.CPU && (scaleTarget < 1 || scaleTarget > 100)) {
            problems.add(new SpecProblem("scaleTarget", "The CPU target must be between 1 and 100 %, not " + scaleTarget
                    + "."));
        }
        if (metric == ScaleMetric.INFLIGHT && (scaleTarget < 1 || scaleTarget > 10_000)) {
            problems.add(new SpecProblem("scaleTarget", "The in-flight target must be between 1 and 10000 requests per "
                    + "replica, not " + scaleTarget + "."));
        }
        int idle = r.idleSeconds() == null ? 0 : r.idleSeconds();
        if (idle < 0 || idle > MAX_IDLE_SECONDS) {
            problems.add(new SpecProblem("idleSeconds", "The idle time before scaling to zero must be between 0 (never) "
                    + "and " + MAX_IDLE_SECONDS + " seconds, not " + idle + "."));
        }
        Resources defaults = Resources.DEFAULT;
        Resources resources = new Resources(or(r.cpuRequest(), defaults.cpuRequest()), or(r.cpuLimit(), defaults.cpuLimit()),
                or(r.memoryRequest(), defaults.memoryRequest()), or(r.memoryLimit(), defaults.memoryLimit()));
        checkResources(resources, problems);
        return new DeploymentSpec(name, r.model() == null ? "" : r.model().strip(),
                r.version() == null ? "" : r.version().strip(), target, namespace, min, max, metric,
                scaleTarget, idle, resources, DesiredState.RUNNING);
    }

    private static void checkReplicas(int min, int max, List<SpecProblem> problems) {
        if (min < 1) {
            problems.add(new SpecProblem("minReplicas", "Min replicas must be at least 1 (use the idle time to scale "
                    + "to zero), not " + min + "."));
        }
        if (max > MAX_REPLICAS) {
            problems.add(new SpecProblem("maxReplicas", "Max replicas must be at most " + MAX_REPLICAS + ", not "
                    + max + "."));
        }
        if (min > max) {
            problems.add(new SpecProblem("maxReplicas", "Min replicas (" + min + ") must not exceed max replicas ("
                    + max + ")."));
        }
    }

    private static void checkResources(Resources resources, List<SpecProblem> problems) {
        BigDecimal cpuRequest = quantity("cpuRequest", "CPU request", resources.cpuRequest(), problems);
        BigDecimal cpuLimit = quantity("cpuLimit", "CPU limit", resources.cpuLimit(), problems);
        BigDecimal memoryRequest = quantity("memoryRequest", "memory request", resources.memoryRequest(), problems);
        BigDecimal memoryLimit = quantity("memoryLimit", "memory limit", resources.memoryLimit(), problems);
        if (cpuRequest != null && cpuLimit != null && cpuLimit.compareTo(cpuRequest) < 0) {
            problems.add(new SpecProblem("cpuLimit", "The CPU limit (" + resources.cpuLimit()
                    + ") is below the CPU request (" + resources.cpuRequest() + ")."));
        }
        if (memoryRequest != null && memoryLimit != null && memoryLimit.compareTo(memoryRequest) < 0) {
            problems.add(new SpecProblem("memoryLimit", "The memory limit (" + resources.memoryLimit()
                    + ") is below the memory request (" + resources.memoryRequest() + ")."));
        }
    }

    private static @Nullable BigDecimal quantity(String field, String what, String value, List<SpecProblem> problems) {
        BigDecimal amount = Resources.parse(value);
        if (amount == null || amount.signum() <= 0) {
            problems.add(new SpecProblem(field, "The " + what + " '" + value + "' is not a positive Kubernetes "
                    + "quantity such as 500m, 2, 512Mi or 1Gi."));
            return null;
        }
        return amount;
    }

    private static String or(@Nullable String value, String fallback) {
        return value == null || value.isBlank() ? fallback : value.strip();
    }

    static String describe(DeploymentSpec spec) {
        return spec.model() + " " + spec.version() + " on " + spec.target().name().toLowerCase()
                + (spec.target() == DeploymentTarget.KUBERNETES ? " (namespace " + spec.namespace() + ")" : "")
                + ", replicas " + spec.minReplicas() + "–" + spec.maxReplicas() + ", " + (spec.metric() == ScaleMetric.CPU
                        ? "CPU " + spec.scaleTarget() + " %" : spec.scaleTarget() + " in flight per replica")
                + (spec.idleSeconds() > 0 ? ", to zero after " + spec.idleSeconds() + " s idle" : "");
    }
}
