package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow"
)

// newService is the shadow package over the system's VSS.
func newService() (service, error) { return &shadowService{}, nil }

// shadowService is the service over the shadow package; svc nil is the
// system's vssapi.dll, tests give a fake VSS service's.
type shadowService struct {
	svc *shadow.Service
	// mountPoints lists where a volume GUID path is mounted; nil means
	// GetVolumePathNamesForVolumeName.
	mountPoints func(volume string) []string
}

// contextOptions are the shadow options for each context of contextNames.
var contextOptions = map[string]struct {
	persistent, noWriters bool
	ctx                   vss.VSS_SNAPSHOT_CONTEXT
}{
	"backup":                    {false, false, vss.VSS_CTX_BACKUP},
	"file-share-backup":         {false, true, vss.VSS_CTX_FILE_SHARE_BACKUP},
	"app-rollback":              {true, false, vss.VSS_CTX_APP_ROLLBACK},
	"nas-rollback":              {true, true, vss.VSS_CTX_NAS_ROLLBACK},
	"client-accessible":         {true, true, vss.VSS_CTX_CLIENT_ACCESSIBLE},
	"client-accessible-writers": {true, false, vss.VSS_CTX_CLIENT_ACCESSIBLE_WRITERS},
}

var backupTypeValues = map[string]vss.VSS_BACKUP_TYPE{
	"copy":         vss.VSS_BT_COPY,
	"full":         vss.VSS_BT_FULL,
	"incremental":  vss.VSS_BT_INCREMENTAL,
	"differential": vss.VSS_BT_DIFFERENTIAL,
	"log":          vss.VSS_BT_LOG,
}

func (s *shadowService) Create(ctx context.Context, req createRequest, progress func(string)) (snapshotSet, error) {
	c, ok := contextOptions[req.Context]
	if !ok {
		return nil, fmt.Errorf("unknown context %q", req.Context)
	}
	opts := shadow.Options{
		Persistent:     c.persistent,
		NoWriters:      c.noWriters,
		Context:        c.ctx,
		IncludeWriters: req.IncludeWriters,
		ExcludeWriters: req.ExcludeWriters,
		Timeout:        req.Timeout,
		BackupType:     backupTypeValues[req.BackupType],
		Progress:       progress,
	}
	if req.Provider != "" {
		id, err := parseGUID(req.Provider)
		if err != nil {
			return nil, err
		}
		opts.Provider = id
	}
	set, err := s.svc.Create(ctx, req.Volumes, opts)
	if err != nil {
		return nil, err
	}
	return &shadowSet{set: set}, nil
}

// shadowSet is a shadow.Set as a snapshotSet.
type shadowSet struct {
	set *shadow.Set
}

func (s *shadowSet) ID() string { return s.set.ID.String() }

func (s *shadowSet) Snapshots() []snapshot {
	snaps := make([]snapshot, len(s.set.Volumes))
	for i, v := range s.set.Volumes {
		snaps[i] = fromShadow(v.Snapshot)
		snaps[i].Volume = v.Path
	}
	return snaps
}

func (s *shadowSet) Close(ctx context.Context) error { return s.set.CloseContext(ctx) }

// fromShadow is a shadow.Snapshot as list prints it.
func fromShadow(s shadow.Snapshot) snapshot {
	return snapshot{
		ID:         s.ID.String(),
		SetID:      s.SetID.String(),
		Volume:     s.Volume,
		Device:     s.DevicePath,
		Created:    s.Created,
		Provider:   s.Provider.String(),
		Context:    contextName(s.Attributes),
		Persistent: s.Persistent(),
		Exposed:    s.ExposedName,
	}
}

// contextName names the context whose bits attrs holds.
func contextName(attrs vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES) string {
	const contextBits = vss.VSS_VOLSNAP_ATTR_PERSISTENT | vss.VSS_VOLSNAP_ATTR_CLIENT_ACCESSIBLE |
		vss.VSS_VOLSNAP_ATTR_NO_AUTO_RELEASE | vss.VSS_VOLSNAP_ATTR_NO_WRITERS
	bits := vss.VSS_SNAPSHOT_CONTEXT(attrs & contextBits)
	for _, c := range contextNames {
		if contextOptions[c.Name].ctx == bits {
			return c.Name
		}
	}
	return fmt.Sprintf("0x%x", uint32(bits))
}

func (s *shadowService) filter(f filter) (shadow.Filter, error) {
	var sf shadow.Filter
	var err error
	if f.ID != "" {
		if sf.ID, err = parseGUID(f.ID); err != nil {
			return sf, err
		}
	}
	if f.SetID != "" {
		if sf.SetID, err = parseGUID(f.SetID); err != nil {
			return sf, err
		}
	}
	sf.Volume = f.Volume
	return sf, nil
}

func (s *shadowService) List(ctx context.Context, f filter) ([]snapshot, error) {
	sf, err := s.filter(f)
	if err != nil {
		return nil, err
	}
	found, err := s.svc.List(ctx, sf)
	if err != nil {
		return nil, err
	}
	mountPoints := s.mountPoints
	if mountPoints == nil {
		mountPoints = volumeMountPoints
	}
	snaps := make([]snapshot, len(found))
	for i, c := range found {
		snaps[i] = fromShadow(c)
		snaps[i].MountPoints = mountPoints(c.Volume)
	}
	return snaps, nil
}

// Delete deletes one shadow copy by ID, or lists what f selects and
// deletes each, so that it can say which it deleted (shadow.Delete
// counts them) and delete every copy for the zero filter (which
// shadow.Delete refuses).
func (s *shadowService) Delete(ctx context.Context, f filter) ([]string, error) {
	var ids []string
	if f.ID != "" {
		ids = []string{f.ID}
	} else {
		snaps, err := s.List(ctx, f)
		if err != nil {
			return nil, err
		}
		for _, c := range snaps {
			ids = append(ids, c.ID)
		}
	}
	var deleted []string
	for _, id := range ids {
		guid, err := parseGUID(id)
		if err != nil {
			return deleted, err
		}
		n, err := s.svc.Delete(ctx, shadow.Filter{ID: guid})
		if f.ID != "" && errors.Is(err, vss.VSS_E_OBJECT_NOT_FOUND) {
			return deleted, nil // reported as nothing deleted
		}
		if err != nil {
			return deleted, err
		}
		if n > 0 {
			deleted = append(deleted, guid.String())
		}
	}
	return deleted, nil
}

func (s *shadowService) Expose(ctx context.Context, id, at string) (string, error) {
	guid, err := parseGUID(id)
	if err != nil {
		return "", err
	}
	return s.svc.Expose(ctx, guid, at)
}

// Unexpose takes an ID, or finds the shadow copy exposed at a drive
// letter or folder (shadow.Unexpose takes only IDs).
func (s *shadowService) Unexpose(ctx context.Context, at string) error {
	if guidPattern.MatchString(at) {
		guid, err := parseGUID(at)
		if err != nil {
			return err
		}
		return s.svc.Unexpose(ctx, guid)
	}
	all, err := s.svc.List(ctx, shadow.Filter{})
	if err != nil {
		return err
	}
	want := exposedKey(at)
	for _, c := range all {
		if c.ExposedName != "" && exposedKey(c.ExposedName) == want {
			return s.svc.Unexpose(ctx, c.ID)
		}
	}
	return fmt.Errorf("no shadow copy is exposed at %s", at)
}

// exposedKey is a drive letter or folder as compared for Unexpose.
func exposedKey(name string) string {
	return strings.ToUpper(strings.TrimSuffix(name, `\`))
}

// Link finds the shadow copy's device path and links dir to it.
func (s *shadowService) Link(ctx context.Context, id, dir string) error {
	guid, err := parseGUID(id)
	if err != nil {
		return err
	}
	snap, err := s.svc.Get(ctx, guid)
	if err != nil {
		return err
	}
	return shadow.Link(ctx, dir, snap.DevicePath)
}

// parseGUID parses an ID with or without braces.
func parseGUID(s string) (windows.GUID, error) {
	if !strings.HasPrefix(s, "{") {
		s = "{" + s + "}"
	}
	g, err := windows.GUIDFromString(s)
	if err != nil {
		return g, fmt.Errorf("%q is not an ID: %w", s, err)
	}
	return g, nil
}

// hint is advice for an error whose cause a user can fix, or "".
func hint(err error) string {
	if errors.Is(err, vss.E_ACCESSDENIED) {
		return "VSS answers only to administrators and backup operators: run the command from an elevated prompt"
	}
	return ""
}

// volumeMountPoints lists where the volume with the GUID path volume is
// mounted, such as C:\, or nothing when that cannot be found.
func volumeMountPoints(volume string) []string {
	name, err := windows.UTF16PtrFromString(volume)
	if err != nil {
		return nil
	}
	buf := make([]uint16, 256)
	for {
		var n uint32
		err := windows.GetVolumePathNamesForVolumeName(name, &buf[0], uint32(len(buf)), &n)
		if err == windows.ERROR_MORE_DATA && int(n) > len(buf) {
			buf = make([]uint16, n)
			continue
		}
		if err != nil {
			return nil
		}
		// A list of strings, each ending with a NUL, and a NUL after the last.
		var paths []string
		for start, i := 0, 0; i < len(buf) && i < int(n); i++ {
			if buf[i] == 0 {
				if i == start {
					break
				}
				paths = append(paths, windows.UTF16ToString(buf[start:i]))
				start = i + 1
			}
		}
		return paths
	}
}
