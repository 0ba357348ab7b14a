package io.modelward.portal.web;

import java.util.List;

import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.VersionDetails;
import io.modelward.catalog.VersionState;
import io.modelward.deployer.DeploymentService;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.DeploymentView;
import io.modelward.deployer.ScaleMetric;
import io.modelward.deployer.SpecProblem;
import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.ProblemException;
import io.modelward.governance.Role;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * The deployments dashboard, the deploy form and a deployment's page with its actions. Status updates without a
 * reload: the pages poll a small JSON view of the same data.
 */
@Controller
class DeploymentPages {

    private final DeploymentService deployments;
    private final CatalogQueries catalog;
    private final AuditLog audit;

    DeploymentPages(DeploymentService deployments, CatalogQueries catalog, AuditLog audit) {
        this.deployments = deployments;
        this.catalog = catalog;
        this.audit = audit;
    }

    @ModelAttribute
    void choices(Model model) {
        model.addAttribute("targets", DeploymentTarget.values());
        model.addAttribute("metrics", ScaleMetric.values());
    }

    @GetMapping("/deployments")
    String list(Actor actor, Model model) {
        model.addAttribute("deployments", deployments.list());
        model.addAttribute("canDeploy", actor.has(Role.RESEARCHER) || actor.isAdmin());
        return "deployments/list";
    }

    /** The live part of the dashboard and of a deployment's page, polled every two seconds. */
    @GetMapping(path = "/deployments/live", produces = "application/json")
    @ResponseBody
    List<Live> live() {
        return deployments.list().stream().map(Live::of).toList();
    }

    @GetMapping("/deployments/new")
    String form(@RequestParam(required = false) @Nullable String model,
            @RequestParam(required = false) @Nullable String version, Actor actor, Model page) {
        requireCanDeploy(actor, model, version, null);
        DeployForm form = new DeployForm();
        form.setModel(model);
        form.setVersion(version);
        if (model != null && version != null) {
            form.setName((model + "-" + version.toLowerCase().replaceAll("[^a-z0-9]+", "-")).replaceAll("-+$", ""));
        }
        page.addAttribute("form", form);
        return formPage(page, form);
    }

    @PostMapping("/deployments/new")
    String create(@ModelAttribute("form") DeployForm form, BindingResult binding, Actor actor, Model page,
            RedirectAttributes redirect) {
        requireCanDeploy(actor, form.getModel(), form.getVersion(), form.getName());
        for (SpecProblem problem : deployments.problems(form.toRequest())) {
            binding.rejectValue(problem.field(), "invalid", problem.message());
        }
        if (binding.hasErrors()) {
            return formPage(page, form);
        }
        try {
            DeploymentView created = deployments.create(actor, form.toRequest());
            redirect.addFlashAttribute("success", "Deployment " + created.name() + " created: it is starting.");
            return "redirect:/deployments/" + created.name();
        }
        catch (ProblemException ex) {
            binding.reject("invalid", ex.getMessage());
            return formPage(page, form);
        }
    }

    @GetMapping("/deployments/{name}")
    String detail(@PathVariable String name, Actor actor, Model model) {
        DeploymentView deployment = deployments.view(name);
        model.addAttribute("d", deployment);
        model.addAttribute("canManage", deployments.canManage(actor, deployment));
        model.addAttribute("canTry", actor.has(Role.RESEARCHER));
        return "deployments/detail";
    }

    @PostMapping("/deployments/{name}/scale")
    String scale(@PathVariable String name, @RequestParam(required = false) @Nullable Integer minReplicas,
            @RequestParam(required = false) @Nullable Integer maxReplicas, Actor actor, RedirectAttributes redirect) {
        return act(redirect, name, "Scaled.", () -> deployments.scale(actor, name, minReplicas, maxReplicas));
    }

    @PostMapping("/deployments/{name}/stop")
    String stop(@PathVariable String name, Actor actor, RedirectAttributes redirect) {
        return act(redirect, name, "Stopping.", () -> deployments.stop(actor, name));
    }

    @PostMapping("/deployments/{name}/start")
    String start(@PathVariable String name, Actor actor, RedirectAttributes redirect) {
        return act(redirect, name, "Starting.", () -> deployments.start(actor, name));
    }

    @PostMapping("/deployments/{name}/delete")
    String delete(@PathVariable String name, Actor actor, RedirectAttributes redirect) {
        try {
            deployments.delete(actor, name);
            redirect.addFlashAttribute("success", "Deployment " + name + " deleted.");
            return "redirect:/deployments";
        }
        catch (ProblemException ex) {
            if (ex.status() == 404) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
            return "redirect:/deployments/" + name;
        }
    }

    private String formPage(Model page, DeployForm form) {
        VersionDetails version = null;
        if (form.getModel() != null && form.getVersion() != null) {
            try {
                version = catalog.version(form.getModel(), form.getVersion());
            }
            catch (ProblemException notInCatalog) {
                // the form says so when it is posted
            }
        }
        page.addAttribute("version", version);
        page.addAttribute("approved", version != null && version.state() == VersionState.APPROVED);
        return "deployments/form";
    }

    private void requireCanDeploy(Actor actor, @Nullable String model, @Nullable String version,
            @Nullable String name) {
        if (!actor.has(Role.RESEARCHER) && !actor.isAdmin()) {
            throw audit.denied(new GovernanceEvent(actor, GovernanceAction.DEPLOYMENT_CREATED, model, version, name,
                    "Only researchers and admins deploy models."));
        }
    }

    private static String act(RedirectAttributes redirect, String name, String done, Runnable action) {
        try {
            action.run();
            redirect.addFlashAttribute("success", name + ": " + done);
        }
        catch (ProblemException ex) {
            if (ex.status() == 404) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:/deployments/" + name;
    }

    /** What the pages refresh: status, replica counts, endpoint and message. */
    record Live(String name, String status, int readyReplicas, int desiredReplicas, @Nullable String endpoint,
            @Nullable String message) {

        static Live of(DeploymentView view) {
            return new Live(view.name(), view.status().name(), view.readyReplicas(), view.desiredReplicas(),
                    view.endpoint(), view.message());
        }
    }
}
