package io.modelward.portal.web;

import java.io.IOException;
import java.time.ZoneId;

import io.modelward.catalog.ArtifactInfo;
import io.modelward.catalog.ArtifactKind;
import io.modelward.catalog.ArtifactService;
import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.CatalogService;
import io.modelward.catalog.ModelFormat;
import io.modelward.catalog.ModelSummary;
import io.modelward.catalog.RegisterVersion;
import io.modelward.catalog.SourceType;
import io.modelward.catalog.Task;
import io.modelward.catalog.VersionDetails;
import io.modelward.catalog.license.LicensePolicy;
import io.modelward.governance.Actor;
import io.modelward.governance.ProblemException;
import io.modelward.portal.api.ArtifactUploads;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.validation.BindingResult;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Registering models and versions, and uploading their artifacts with a progress bar. */
@Controller
class RegistrationPages {

    private static final String MODEL_FORM = "catalog/model-form";
    private static final String VERSION_FORM = "catalog/version-form";

    private final CatalogService catalog;
    private final CatalogQueries queries;
    private final ArtifactService artifacts;
    private final ArtifactUploads transfers;
    private final LicensePolicy licenses;

    RegistrationPages(CatalogService catalog, CatalogQueries queries, ArtifactService artifacts,
            ArtifactUploads transfers, LicensePolicy licenses) {
        this.catalog = catalog;
        this.queries = queries;
        this.artifacts = artifacts;
        this.transfers = transfers;
        this.licenses = licenses;
    }

    @InitBinder
    void noIds(WebDataBinder binder) {
        binder.setDisallowedFields("id", "owner", "state", "createdBy", "submittedBy");
    }

    @ModelAttribute
    void options(Model model) {
        model.addAttribute("tasks", Task.values());
        model.addAttribute("formats", ModelFormat.values());
        model.addAttribute("sourceTypes", SourceType.values());
    }

    @GetMapping("/models/new")
    String newModel(Model model) {
        model.addAttribute("form", new ModelForm());
        return MODEL_FORM;
    }

    @PostMapping("/models/new")
    String registerModel(Actor actor, @Valid @ModelAttribute("form") ModelForm form, BindingResult errors,
            RedirectAttributes redirect) {
        if (errors.hasErrors()) {
            return MODEL_FORM;
        }
        try {
            ModelSummary model = catalog.registerModel(actor, form.toCommand());
            redirect.addFlashAttribute("success", "Model " + model.name() + " registered. Now add its first version.");
            return "redirect:/models/" + model.name() + "/versions/new";
        }
        catch (ProblemException ex) {
            errors.reject(ex.type(), ex.getMessage());
            return MODEL_FORM;
        }
    }

    @GetMapping("/models/{name}/versions/new")
    String newVersion(@PathVariable String name, Actor actor, Model model) {
        model.addAttribute("model", queries.model(name));
        VersionForm form = new VersionForm();
        form.setRetrievedBy(actor.subject());
        model.addAttribute("form", form);
        model.addAttribute("licenses", licenses.rules());
        return VERSION_FORM;
    }

    @PostMapping("/models/{name}/versions/new")
    String registerVersion(@PathVariable String name, Actor actor, @Valid @ModelAttribute("form") VersionForm form,
            BindingResult errors, Model model, RedirectAttributes redirect) {
        RegisterVersion command = form.toCommand(errors, ZoneId.systemDefault());
        if (command != null) {
            try {
                VersionDetails v = catalog.registerVersion(actor, name, command);
                redirect.addFlashAttribute("success", "Version " + v.version() + " registered as a draft. Upload "
                        + "its files, then submit it for approval.");
                return "redirect:/models/" + name + "/versions/" + v.version() + "/upload";
            }
            catch (ProblemException ex) {
                errors.reject(ex.type(), ex.getMessage());
            }
        }
        model.addAttribute("model", queries.model(name));
        model.addAttribute("licenses", licenses.rules());
        return VERSION_FORM;
    }

    @GetMapping("/models/{name}/versions/{version}/upload")
    String upload(@PathVariable String name, @PathVariable String version, Actor actor, Model model) {
        model.addAttribute("v", queries.version(name, version));
        model.addAttribute("can", new Can(actor));
        model.addAttribute("maxModelBytes", artifacts.limitFor(ArtifactKind.MODEL));
        model.addAttribute("maxLabelsBytes", artifacts.limitFor(ArtifactKind.LABELS));
        return "catalog/upload";
    }

    /** The upload page's XHR target: the raw file as the body, CSRF token in a header. */
    @PutMapping("/models/{name}/versions/{version}/artifacts/{kind}")
    @ResponseBody
    ResponseEntity<ArtifactInfo> uploadArtifact(Actor actor, @PathVariable String name, @PathVariable String version,
            @PathVariable String kind, @RequestParam(required = false) @Nullable String fileName,
            @RequestParam(required = false) @Nullable String sha256, HttpServletRequest request) throws IOException {
        return transfers.upload(actor, name, version, kind, fileName, sha256, request);
    }
}
