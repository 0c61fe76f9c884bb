package abscan

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	commonv1 "github.com/abscan/abscan/clients/go/gen/abscan/common/v1"
)

var imageSuffixes = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".ppm": true, ".pgm": true}

// LoadSeedFolder reads an ImageFolder (`<label>/<file>`) into a SeedSet of encoded images, ordered by label
// then file name, like the Python and Node clients.
func LoadSeedFolder(dir string) (*commonv1.SeedSet, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("seed folder %s: %w", dir, err)
	}
	type labelDir struct {
		label int
		name  string
	}
	var labels []labelDir
	for _, e := range entries {
		if n, err := strconv.Atoi(e.Name()); err == nil && e.IsDir() && n >= 0 && strings.Trim(e.Name(), "0123456789") == "" {
			labels = append(labels, labelDir{n, e.Name()})
		}
	}
	sort.Slice(labels, func(i, j int) bool { return labels[i].label < labels[j].label })
	set := &commonv1.SeedSet{}
	for _, l := range labels {
		files, err := os.ReadDir(filepath.Join(dir, l.name))
		if err != nil {
			return nil, err
		}
		sort.Slice(files, func(i, j int) bool { return files[i].Name() < files[j].Name() })
		for _, f := range files {
			if f.IsDir() || !imageSuffixes[strings.ToLower(filepath.Ext(f.Name()))] {
				continue
			}
			data, err := os.ReadFile(filepath.Join(dir, l.name, f.Name()))
			if err != nil {
				return nil, err
			}
			set.Images = append(set.Images, &commonv1.SeedImage{Data: data, Label: int32(l.label), Name: l.name + "/" + f.Name()})
		}
	}
	if len(set.Images) == 0 {
		return nil, fmt.Errorf("seed folder %s holds no <label>/<image> files", dir)
	}
	return set, nil
}
