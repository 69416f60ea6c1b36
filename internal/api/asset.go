package api

import (
	"net/http"
	"strconv"

	"openisms/internal/export"
	"openisms/internal/isms"
)

// The asset register (资产管理): assets, their lifecycle steps, the
// settings that value them, and the XLSX template, import and exports.

// assetInput is what a client sends for an asset; value, the important
// flag and status are computed or changed by lifecycle steps.
type assetInput struct {
	Code            string `json:"code"`
	Name            string `json:"name"`
	Type            string `json:"type"`
	Description     string `json:"description"`
	DeptID          string `json:"department_id"`
	OwnerID         string `json:"owner_id"`
	CustodianID     string `json:"custodian_id"`
	Location        string `json:"location"`
	Classification  string `json:"classification"`
	C               int    `json:"confidentiality"`
	I               int    `json:"integrity"`
	A               int    `json:"availability"`
	ReplacementCost int    `json:"replacement_cost"`
	Importance      int    `json:"importance"`
	ParentID        string `json:"parent_id"`
	Serial          string `json:"serial"`
	IP              string `json:"ip"`
	MAC             string `json:"mac"`
	UserID          string `json:"user_id"`
	Classified      bool   `json:"classified"`
	// PendingAcceptance registers a newly acquired asset that waits for
	// acceptance (验收) before it is in use.
	PendingAcceptance bool `json:"pending_acceptance"`
}

func (in assetInput) asset() isms.Asset {
	x := isms.Asset{Code: in.Code, Name: in.Name, Type: in.Type, Description: in.Description, DeptID: in.DeptID,
		OwnerID: in.OwnerID, CustodianID: in.CustodianID, Location: in.Location, Classification: in.Classification,
		C: in.C, I: in.I, A: in.A, ReplacementCost: in.ReplacementCost, Importance: in.Importance, ParentID: in.ParentID,
		Serial: in.Serial, IP: in.IP, MAC: in.MAC, UserID: in.UserID, Classified: in.Classified}
	if in.PendingAcceptance {
		x.Status = isms.AssetPending
	}
	return x
}

// assetFilter reads the register's query parameters.
func assetFilter(r *http.Request) (isms.AssetFilter, error) {
	q := r.URL.Query()
	f := isms.AssetFilter{Type: q.Get("type"), Layer: q.Get("layer"), DeptID: q.Get("department_id"), Status: q.Get("status"),
		Classification: q.Get("classification"), Text: q.Get("q"), OwnerID: q.Get("owner_id"), Sort: q.Get("sort"),
		Desc: q.Get("desc") == "true", Important: q.Get("important") == "true", Computers: q.Get("computers") == "true"}
	for name, to := range map[string]*int{"offset": &f.Offset, "limit": &f.Limit, "min_value": &f.MinValue} {
		if v := q.Get(name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return f, isms.Invalid(name, isms.M("field.bad_number"))
			}
			*to = n
		}
	}
	return f, nil
}

func (a *API) listAssets(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := assetFilter(r)
	if err != nil {
		return err
	}
	l, err := a.svc.ListAssets(r.Context(), actor, f)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, l)
}

func (a *API) createAsset(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in assetInput
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.CreateAsset(r.Context(), actor, in.asset())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, x)
}

func (a *API) getAsset(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	x, err := a.svc.Asset(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) putAsset(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in assetInput
	if err := decode(r, &in); err != nil {
		return err
	}
	x, err := a.svc.UpdateAsset(r.Context(), actor, r.PathValue("id"), in.asset())
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, x)
}

func (a *API) listAssetEvents(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	es, err := a.svc.AssetEvents(r.Context(), actor, r.PathValue("id"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.AssetEvent]{Items: nonNil(es)})
}

// assetEventInput files a lifecycle step.
type assetEventInput struct {
	Kind    string            `json:"kind"`
	Date    string            `json:"date"`
	Note    string            `json:"note"`
	Details isms.EventDetails `json:"details"`
}

func (a *API) fileAssetEvent(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in assetEventInput
	if err := decode(r, &in); err != nil {
		return err
	}
	e, err := a.svc.FileAssetEvent(r.Context(), actor, r.PathValue("id"),
		isms.AssetEvent{Kind: in.Kind, Date: in.Date, Note: in.Note, Details: in.Details})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, e)
}

func (a *API) lateOwnerChanges(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	es, err := a.svc.LateOwnerChanges(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, list[isms.AssetEvent]{Items: nonNil(es)})
}

func (a *API) getAssetSettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	as, err := a.svc.AssetSettings(r.Context(), actor)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, as)
}

func (a *API) putAssetSettings(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	var in isms.AssetSettings
	if err := decode(r, &in); err != nil {
		return err
	}
	as, n, err := a.svc.SetAssetSettings(r.Context(), actor, in)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"settings": as, "recomputed": n})
}

func (a *API) assetTemplate(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	if err := actor.Require(isms.ActViewAssets); err != nil {
		return err
	}
	attachXLSX(w, "assets-template.xlsx")
	return export.AssetTemplate(w)
}

func (a *API) importAssets(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	file, _, err := uploadedFile(r)
	if err != nil {
		return err
	}
	defer file.Close()
	n, err := a.svc.ImportAssetsXLSX(r.Context(), actor, file)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"imported": n})
}

// assetsXLSX exports the register under the filter; view=important or
// computers gives the named views' columns.
func (a *API) assetsXLSX(w http.ResponseWriter, r *http.Request, actor isms.Actor) error {
	f, err := assetFilter(r)
	if err != nil {
		return err
	}
	return a.svc.AssetsXLSX(r.Context(), actor, f, r.URL.Query().Get("view"), func() { attachXLSX(w, "assets.xlsx") }, w)
}

// attachXLSX sends what follows as a workbook to save under filename.
func attachXLSX(w http.ResponseWriter, filename string) {
	export.Attach(w.Header(), filename, export.ContentType)
}
