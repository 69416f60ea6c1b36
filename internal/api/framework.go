package api

import (
	"net/http"

	"openisms/internal/export"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Control frameworks as data: the built-in ISO/IEC 27001 catalogs and
// the ones an organization imports (CSV, OSCAL, CISO Assistant YAML),
// their requirements and the mappings between them.

func (a *API) listFrameworks(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	fs, err := a.svc.Frameworks(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, fs)
}

// frameworkView is a framework with its tree.
type frameworkView struct {
	isms.Framework
	ReadOnly     bool                   `json:"read_only"`
	Requirements []isms.RequirementNode `json:"requirements"`
}

func (a *API) getFramework(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, nodes, err := a.svc.Framework(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, frameworkView{Framework: f, ReadOnly: f.ReadOnly(), Requirements: nodes})
}

func (a *API) frameworkMappings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	ms, err := a.svc.FrameworkMappings(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, ms)
}

// exportFramework writes the framework as CSV (format=csv, the default)
// or as an OSCAL catalog (format=oscal).
func (a *API) exportFramework(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	return a.svc.ExportFramework(r.Context(), actor, r.PathValue("id"), format, func(f isms.Framework) {
		name, ctype := export.FrameworkFile(f.Code, format)
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}, w)
}

// importFramework takes a multipart form: file, and optionally format
// (csv, oscal, yaml; detected when absent), code (required for CSV),
// name_zh, name_en, version, publisher, and base (an OSCAL profile's
// catalog code).
func (a *API) importFramework(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, header, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	ch, err := a.svc.ImportFramework(r.Context(), actor, service.FrameworkImport{FileName: header.Filename, Format: r.FormValue("format"),
		Code: r.FormValue("code"), NameZH: r.FormValue("name_zh"), NameEN: r.FormValue("name_en"),
		Version: r.FormValue("version"), Publisher: r.FormValue("publisher"), Base: r.FormValue("base")}, file)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if ch.Created {
		status = http.StatusCreated
	}
	return writeJSON(w, status, ch)
}

func (a *API) importMappings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	n, err := a.svc.ImportMappings(r.Context(), actor, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"added": n})
}

func (a *API) importTexts(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	n, err := a.svc.ImportRequirementTexts(r.Context(), actor, r.PathValue("id"), file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"rows": n})
}

// requirementView is a requirement with its framework, mappings, and the
// reference controls and threats it names.
type requirementView struct {
	isms.RequirementNode
	Framework isms.Framework       `json:"framework"`
	Mappings  []isms.Mapping       `json:"mappings"`
	Library   []isms.LibraryObject `json:"library"`
	Text      string               `json:"text,omitempty"` // the organization's full text
}

func (a *API) getRequirement(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.Requirement(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, requirementView{RequirementNode: d.Node, Framework: d.Framework, Mappings: d.Mappings,
		Library: d.Library, Text: d.Text})
}

// listLibrary lists a framework's reference controls and threats
// (?kind= one of them).
func (a *API) listLibrary(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	_, objs, err := a.svc.LibraryObjects(r.Context(), actor, r.PathValue("id"), r.URL.Query().Get("kind"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": objs})
}

func (a *API) getLibraryObject(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	d, err := a.svc.LibraryObject(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, d)
}

func (a *API) putRequirementTitle(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in struct {
		TitleZH string `json:"title_zh"`
	}
	if err := decode(r, &in); err != nil {
		return err
	}
	n, err := a.svc.SetRequirementTitle(r.Context(), actor, r.PathValue("id"), in.TitleZH)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, n)
}
