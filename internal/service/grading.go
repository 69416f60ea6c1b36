package service

import (
	_ "embed"
	"fmt"
	"slices"
	"sync"

	"gopkg.in/yaml.v3"

	"openisms/internal/isms"
)

// The MLPS grading matrices are versioned data
// (defaults/mlps/grading-matrices.yaml), read once and checked.

//go:embed defaults/mlps/grading-matrices.yaml
var gradingMatricesYAML []byte

var gradingMatrices = sync.OnceValues(func() ([]isms.GradingMatrix, error) {
	var ms []isms.GradingMatrix
	if err := yaml.Unmarshal(gradingMatricesYAML, &ms); err != nil {
		return nil, fmt.Errorf("grading matrices: %w", err)
	}
	for _, m := range ms {
		if err := m.Check(); err != nil {
			return nil, fmt.Errorf("grading matrix %s: %w", m.Version, err)
		}
	}
	return ms, nil
})

// GradingTemplateVersions lists the template versions a grading may use,
// oldest first.
func GradingTemplateVersions() ([]string, error) {
	ms, err := gradingMatrices()
	if err != nil {
		return nil, err
	}
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Version
	}
	return out, nil
}

// GradingMatrix returns the matrix of a template version.
func GradingMatrix(version string) (isms.GradingMatrix, error) {
	ms, err := gradingMatrices()
	if err != nil {
		return isms.GradingMatrix{}, err
	}
	i := slices.IndexFunc(ms, func(m isms.GradingMatrix) bool { return m.Version == version })
	if i < 0 {
		vs, _ := GradingTemplateVersions()
		return isms.GradingMatrix{}, isms.Invalid("template_version", isms.M("field.one_of", "values", fmt.Sprint(vs)))
	}
	return ms[i], nil
}
