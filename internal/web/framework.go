package web

import (
	"net/http"
	"strings"

	"openisms/internal/export"
	"openisms/internal/i18n"
	"openisms/internal/isms"
	"openisms/internal/service"
)

// Control frameworks (控制框架): the list with the import form, a
// framework's requirement tree, and one requirement with its mappings.

type frameworkData struct {
	Frameworks []isms.Framework
	Mappings   map[string]int // framework ID → mapping pairs from it
	Framework  isms.Framework
	Nodes      []isms.RequirementNode
	Node       isms.RequirementNode
	Links      []isms.Mapping
	Change     *isms.FrameworkChange
	ImportErrs []string
	Texts      int    // requirements with the organization's full text
	Text       string // a requirement's full text, the organization's
	CanManage  bool
	CanMeasure bool // may create measures (from a reference control)
	Query      string
	Tab        string               // on a framework: "" the tree, or a library kind
	Library    []isms.LibraryObject // the tab's objects, or those a requirement names
	Object     isms.LibraryObject   // one reference control or threat
	// MeasureReqs are the requirements naming a reference control, one
	// "CODE REF" per line, to prefill a new measure.
	MeasureReqs string
}

func (wb *Web) frameworkListPage(r *req) (page, error) {
	d := frameworkData{CanManage: r.Actor.Can(isms.ActManageFrameworks)}
	var err error
	if d.Frameworks, err = wb.svc.Frameworks(r.Context(), r.Actor); err != nil {
		return page{}, err
	}
	if d.Mappings, err = wb.svc.MappingCounts(r.Context(), r.Actor); err != nil {
		return page{}, err
	}
	return page{Title: "ui.framework.title", Data: d, Form: map[string]string{}}, nil
}

func (wb *Web) frameworkList(w http.ResponseWriter, r *req) error {
	p, err := wb.frameworkListPage(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "frameworks/list", p)
}

// importFramework imports an uploaded framework file and shows what it
// added, changed and removed, or every problem with nothing stored.
func (wb *Web) importFramework(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageFrameworks); err != nil {
		return err
	}
	p, err := wb.frameworkListPage(r)
	if err != nil {
		return err
	}
	p.Form = map[string]string{"format": r.FormValue("format"), "code": r.FormValue("code"), "name_zh": r.FormValue("name_zh"),
		"name_en": r.FormValue("name_en"), "version": r.FormValue("version"), "publisher": r.FormValue("publisher"), "base": r.FormValue("base")}
	file, h, err := r.FormFile("file")
	if err != nil {
		return wb.formError(w, r, "frameworks/list", p, isms.Invalid("file", isms.M("field.required")))
	}
	defer file.Close()
	ch, err := wb.svc.ImportFramework(r.Context(), r.Actor, service.FrameworkImport{FileName: h.Filename, Format: p.Form["format"],
		Code: p.Form["code"], NameZH: p.Form["name_zh"], NameEN: p.Form["name_en"], Version: p.Form["version"],
		Publisher: p.Form["publisher"], Base: p.Form["base"]}, file)
	if err != nil {
		return wb.importFailed(w, r, p, err)
	}
	if p, err = wb.frameworkListPage(r); err != nil {
		return err
	}
	d := p.Data.(frameworkData)
	d.Change = &ch
	p.Data = d
	p.Flash = i18n.T(r.Lang, isms.M("ui.flash.framework_imported", "code", ch.Framework.Code, "nodes", ch.Framework.Nodes))
	return wb.render(w, r, http.StatusOK, "frameworks/list", p)
}

func (wb *Web) importMappings(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageFrameworks); err != nil {
		return err
	}
	p, err := wb.frameworkListPage(r)
	if err != nil {
		return err
	}
	file, _, err := r.FormFile("file")
	if err != nil {
		return wb.formError(w, r, "frameworks/list", p, isms.Invalid("mapping_file", isms.M("field.required")))
	}
	defer file.Close()
	n, err := wb.svc.ImportMappings(r.Context(), r.Actor, file)
	if err != nil {
		return wb.importFailed(w, r, p, err)
	}
	if p, err = wb.frameworkListPage(r); err != nil {
		return err
	}
	p.Flash = i18n.T(r.Lang, isms.M("ui.flash.mappings_imported", "n", n))
	return wb.render(w, r, http.StatusOK, "frameworks/list", p)
}

// importFailed shows the list again with every problem of a refused
// framework or mapping file, each named by its element.
func (wb *Web) importFailed(w http.ResponseWriter, r *req, p page, err error) error {
	d := p.Data.(frameworkData)
	for _, f := range isms.AsError(err).Fields {
		d.ImportErrs = append(d.ImportErrs, f.Field+": "+i18n.T(r.Lang, f.Msg))
	}
	p.Data = d
	return wb.formError(w, r, "frameworks/list", p, err)
}

// frameworkPage shows a framework's tree, filtered by a text in the
// reference or either title when q is given; or, on the tab of a library
// kind, its reference controls or threats, filtered the same way.
func (wb *Web) frameworkPage(w http.ResponseWriter, r *req) error {
	p, err := wb.frameworkDetail(r)
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "frameworks/detail", p)
}

func (wb *Web) frameworkDetail(r *req) (page, error) {
	q := r.URL.Query()
	d := frameworkData{Query: strings.TrimSpace(q.Get("q")), Tab: q.Get("tab"),
		CanManage: r.Actor.Can(isms.ActManageFrameworks)}
	match := func(s ...string) bool {
		return d.Query == "" || strings.Contains(strings.ToLower(strings.Join(s, " ")), strings.ToLower(d.Query))
	}
	var err error
	if d.Tab != "" {
		var objs []isms.LibraryObject
		if d.Framework, objs, err = wb.svc.LibraryObjects(r.Context(), r.Actor, r.PathValue("id"), d.Tab); err != nil {
			return page{}, err
		}
		for _, o := range objs {
			if match(o.Ref, o.NameZH, o.NameEN, o.Category, o.Function) {
				d.Library = append(d.Library, o)
			}
		}
	} else {
		var nodes []isms.RequirementNode
		if d.Framework, nodes, err = wb.svc.Framework(r.Context(), r.Actor, r.PathValue("id")); err != nil {
			return page{}, err
		}
		for _, n := range nodes {
			if match(n.Ref, n.TitleZH, n.TitleEN, n.OwnTitleZH) {
				d.Nodes = append(d.Nodes, n)
			}
		}
	}
	if d.CanManage && d.Tab == "" {
		if d.Texts, err = wb.svc.RequirementTextCount(r.Context(), r.Actor, d.Framework.ID); err != nil {
			return page{}, err
		}
	}
	return page{Title: "ui.framework.title", Data: d, Form: map[string]string{"q": d.Query, "tab": d.Tab}}, nil
}

// importTexts reads an organization's full text of the framework's
// requirements; a refused file lists every problem by its row.
func (wb *Web) importTexts(w http.ResponseWriter, r *req) error {
	if err := r.Actor.Require(isms.ActManageFrameworks); err != nil {
		return err
	}
	file, _, ferr := r.FormFile("file")
	err := ferr
	if ferr == nil {
		defer file.Close()
		_, err = wb.svc.ImportRequirementTexts(r.Context(), r.Actor, r.PathValue("id"), file)
	} else {
		err = isms.Invalid("text_file", isms.M("field.required"))
	}
	if err != nil {
		p, perr := wb.frameworkDetail(r)
		if perr != nil {
			return perr
		}
		d := p.Data.(frameworkData)
		for _, f := range isms.AsError(err).Fields {
			d.ImportErrs = append(d.ImportErrs, f.Field+": "+i18n.T(r.Lang, f.Msg))
		}
		p.Data = d
		return wb.formError(w, r, "frameworks/detail", p, err)
	}
	return redirect(w, r, "/frameworks/"+r.PathValue("id")+"#own-texts", "ui.flash.texts_imported")
}

// libraryObject shows one reference control or threat with the
// requirements that name it.
func (wb *Web) libraryObject(w http.ResponseWriter, r *req) error {
	o, err := wb.svc.LibraryObject(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	d := frameworkData{Framework: o.Framework, Object: o.Object, Nodes: o.Requirements,
		CanMeasure: r.Actor.Can(isms.ActManageSoA) && o.Object.Kind == isms.ObjReferenceControl}
	var reqs []string
	for _, n := range o.Requirements {
		reqs = append(reqs, o.Framework.Code+" "+n.Ref)
	}
	d.MeasureReqs = strings.Join(reqs, "\n")
	return wb.render(w, r, http.StatusOK, "frameworks/object", page{Title: "ui.framework.library", Data: d})
}

func (wb *Web) exportFramework(w http.ResponseWriter, r *req) error {
	format := r.URL.Query().Get("format")
	if format == "" {
		format = "csv"
	}
	return wb.svc.ExportFramework(r.Context(), r.Actor, r.PathValue("id"), format, func(f isms.Framework) {
		name, ctype := export.FrameworkFile(f.Code, format)
		w.Header().Set("Content-Type", ctype)
		w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	}, w)
}

func (wb *Web) requirementPage(r *req, flash string) (page, error) {
	d, err := wb.svc.Requirement(r.Context(), r.Actor, r.PathValue("id"))
	if err != nil {
		return page{}, err
	}
	return page{Title: "ui.framework.requirement", Flash: flash, Form: map[string]string{"title_zh": d.Node.OwnTitleZH},
		Data: frameworkData{Framework: d.Framework, Node: d.Node, Links: d.Mappings, Library: d.Library, Text: d.Text,
			CanManage: r.Actor.Can(isms.ActManageFrameworks), CanMeasure: r.Actor.Can(isms.ActManageSoA)}}, nil
}

func (wb *Web) requirement(w http.ResponseWriter, r *req) error {
	p, err := wb.requirementPage(r, "")
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "frameworks/requirement", p)
}

func (wb *Web) setRequirementTitle(w http.ResponseWriter, r *req) error {
	f, err := form(r)
	if err != nil {
		return err
	}
	if _, err := wb.svc.SetRequirementTitle(r.Context(), r.Actor, r.PathValue("id"), f.Get("title_zh")); err != nil {
		p, perr := wb.requirementPage(r, "")
		if perr != nil {
			return perr
		}
		p.Form["title_zh"] = f.Get("title_zh")
		return wb.formError(w, r, "frameworks/requirement", p, err)
	}
	p, err := wb.requirementPage(r, i18n.T(r.Lang, isms.M("ui.flash.saved")))
	if err != nil {
		return err
	}
	return wb.render(w, r, http.StatusOK, "frameworks/requirement", p)
}
