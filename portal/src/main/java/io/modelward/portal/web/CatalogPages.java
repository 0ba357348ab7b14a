package io.modelward.portal.web;

import java.io.IOException;

import io.modelward.catalog.CatalogFilter;
import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.ModelFormat;
import io.modelward.catalog.SourceType;
import io.modelward.catalog.Task;
import io.modelward.catalog.VersionDetails;
import io.modelward.catalog.VersionState;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.governance.Actor;
import io.modelward.portal.api.ArtifactUploads;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.InputStreamResource;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;

/** The catalog list and the model and version pages. */
@Controller
class CatalogPages {

    private final CatalogQueries queries;
    private final ArtifactUploads transfers;

    private final MarkdownRenderer markdown;

    CatalogPages(CatalogQueries queries, ArtifactUploads transfers, MarkdownRenderer markdown) {
        this.queries = queries;
        this.transfers = transfers;
        this.markdown = markdown;
    }

    @ModelAttribute
    void enums(Model model) {
        model.addAttribute("tasks", Task.values());
        model.addAttribute("verdicts", LicenseVerdict.values());
        model.addAttribute("states", VersionState.values());
        model.addAttribute("formats", ModelFormat.values());
        model.addAttribute("sourceTypes", SourceType.values());
    }

    @GetMapping("/")
    String home() {
        return "redirect:/models";
    }

    @GetMapping("/models")
    String list(@RequestParam(required = false) @Nullable String q, @RequestParam(required = false) @Nullable Task task,
            @RequestParam(required = false) @Nullable LicenseVerdict verdict,
            @RequestParam(required = false) @Nullable VersionState state, Model model) {
        model.addAttribute("filter", new CatalogFilter(q, task, verdict, state));
        model.addAttribute("models", queries.search(new CatalogFilter(q, task, verdict, state)));
        return "catalog/list";
    }

    @GetMapping("/models/{name}")
    String model(@PathVariable String name, Actor actor, Model model) {
        model.addAttribute("model", queries.model(name));
        model.addAttribute("can", new Can(actor));
        return "catalog/model";
    }

    @GetMapping("/models/{name}/versions/{version}")
    String version(@PathVariable String name, @PathVariable String version, Actor actor, Model model) {
        VersionDetails v = queries.version(name, version);
        model.addAttribute("v", v);
        model.addAttribute("modelCardHtml", markdown.render(v.provenance().modelCard()));
        model.addAttribute("can", new Can(actor));
        return "catalog/version";
    }

    @GetMapping("/models/{name}/versions/{version}/artifacts/{kind}")
    ResponseEntity<InputStreamResource> download(@PathVariable String name, @PathVariable String version,
            @PathVariable String kind) throws IOException {
        return transfers.download(name, version, kind);
    }
}
