package io.modelward.portal.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import io.modelward.deployer.DeploymentService;
import io.modelward.deployer.DeploymentView;
import io.modelward.governance.Actor;
import io.modelward.governance.AuditLog;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.GovernanceEvent;
import io.modelward.governance.Role;
import io.modelward.portal.gateway.InferenceGateway;
import io.modelward.portal.gateway.Protocol;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.multipart.MultipartFile;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * "Try it" on a deployment: a researcher uploads an image and sees the top five labels. The image goes through the
 * gateway like any program's request, so it is audited the same way, with the person as the actor.
 */
@Controller
class TryItPages {

    private final DeploymentService deployments;
    private final InferenceGateway gateway;
    private final ObjectMapper json;
    private final AuditLog audit;

    TryItPages(DeploymentService deployments, InferenceGateway gateway, ObjectMapper json, AuditLog audit) {
        this.audit = audit;
        this.deployments = deployments;
        this.gateway = gateway;
        this.json = json;
    }

    /** One line of the result. */
    record Prediction(String label, double probability) {

        public String percent() {
            return String.format(java.util.Locale.ROOT, "%.1f %%", probability * 100);
        }
    }

    @GetMapping("/deployments/{name}/try")
    String form(@PathVariable String name, Actor actor, Model model) {
        requireCanInfer(actor, name);
        model.addAttribute("d", deployments.view(name));
        return "deployments/try";
    }

    @PostMapping("/deployments/{name}/try")
    String classify(@PathVariable String name, @RequestParam("image") @Nullable MultipartFile image, Actor actor,
            HttpServletRequest request, Model model) throws IOException {
        requireCanInfer(actor, name);
        DeploymentView deployment = deployments.view(name);
        model.addAttribute("d", deployment);
        if (image == null || image.isEmpty()) {
            model.addAttribute("error", "Choose an image file first.");
            return "deployments/try";
        }
        InferenceGateway.Answer answer = gateway.forward(new InferenceGateway.Call(Protocol.CLASSIFY,
                deployment.spec().model(), deployment.spec().version(), "topk=5", actor, "modelward-portal",
                request.getRemoteAddr(), null, request.getHeader("X-Purpose-Of-Use"), image.getContentType(),
                image.getSize(), null, image.getInputStream()));
        model.addAttribute("requestId", answer.requestId());
        model.addAttribute("fileName", image.getOriginalFilename());
        if (answer.error() != null || answer.status() >= 400) {
            model.addAttribute("error", answer.errorMessage(json));
            return "deployments/try";
        }
        List<Prediction> predictions = new ArrayList<>();
        for (JsonNode p : json.readTree(answer.body()).path("predictions")) {
            predictions.add(new Prediction(p.path("label").asString(), p.path("probability").asDouble()));
        }
        model.addAttribute("predictions", predictions);
        return "deployments/try";
    }


    private void requireCanInfer(Actor actor, String deployment) {
        if (!actor.has(Role.RESEARCHER) && !actor.has(Role.INFERENCE_CLIENT)) {
            throw audit.denied(new GovernanceEvent(actor, GovernanceAction.ACCESS, null, null, deployment,
                    "Only researchers try models."));
        }
    }
}
