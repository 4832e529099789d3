package shadowtest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
	"github.com/vssgen/vssgen/shadow"
)

// Writer is a writer of the fake service.
type Writer struct {
	Name     string
	Class    windows.GUID
	Instance windows.GUID
}

// Volume is a volume of the fake service.
type Volume struct {
	Path string // as users write it, with a trailing backslash: C:\
	Name string // its volume GUID path: \\?\Volume{...}\
}

// SystemProvider is the ID of Windows' system provider, the one provider
// the fake knows.
var SystemProvider = windows.GUID{Data1: 0xb5946137, Data2: 0x7b9f, Data3: 0x4925, Data4: [8]byte{0xaf, 0x80, 0x51, 0xab, 0xd6, 0x0b, 0x20, 0xd5}}

// Made-up IDs of the fake's writers and volumes.
func fakeID(n uint32) windows.GUID {
	return windows.GUID{Data1: 0x5eed0000 + n, Data2: 0xfa6e, Data3: 0x4000, Data4: [8]byte{0x80, 0, 0, 0, 0, 0, 0, byte(n)}}
}

// DefaultWriters are the writers of a new Service.
var DefaultWriters = []Writer{
	{Name: "Fake System Writer", Class: fakeID(1), Instance: fakeID(101)},
	{Name: "Fake Database Writer", Class: fakeID(2), Instance: fakeID(102)},
}

// DefaultVolumes are the volumes of a new Service.
var DefaultVolumes = []Volume{
	{Path: `C:\`, Name: `\\?\Volume{5eed0c00-fa6e-4000-8000-00000000000c}\`},
	{Path: `D:\`, Name: `\\?\Volume{5eed0d00-fa6e-4000-8000-00000000000d}\`},
	{Path: `C:\mnt\data\`, Name: `\\?\Volume{5eed0e00-fa6e-4000-8000-00000000000e}\`},
}

// Fault makes calls of one method fail. Method is the method's name as
// in the SDK ("AddToSnapshotSet", "DoSnapshotSet"); "Create" is the
// creation of the backup components.
type Fault struct {
	Method string
	// Code is what the call returns, or with Async what its operation
	// ends with, or with Writer the writer's failure. A success code
	// returned by a method that starts an operation comes with its
	// IVssAsync, which the caller must release.
	Code vss.HRESULT
	// Async: the call succeeds and the IVssAsync it returns ends with Code.
	Async bool
	// Pending: the call succeeds and its operation never ends by itself;
	// Cancel ends it, unless IgnoreCancel.
	Pending      bool
	IgnoreCancel bool
	// Writer names a writer that fails at Method (PrepareForBackup or
	// DoSnapshotSet) with Code in its status; the call and its operation
	// succeed, as VSS reports a writer's veto through GatherWriterStatus.
	Writer string
	// Times is how many matching calls the fault hits; 0 means all.
	Times int

	hits int
}

// WriterVeto makes the writer fail at step (PrepareForBackup or
// DoSnapshotSet) with code in its status.
func WriterVeto(writer, step string, code vss.HRESULT) Fault {
	return Fault{Method: step, Writer: writer, Code: code}
}

// ProviderVeto makes the operation of step end with VSS_E_PROVIDER_VETO.
func ProviderVeto(step string) Fault {
	return Fault{Method: step, Async: true, Code: vss.VSS_E_PROVIDER_VETO}
}

// InProgress makes the first n calls of StartSnapshotSet fail with
// VSS_E_SNAPSHOT_SET_IN_PROGRESS, as when another program takes shadow
// copies at the same time.
func InProgress(n int) Fault {
	return Fault{Method: "StartSnapshotSet", Code: vss.VSS_E_SNAPSHOT_SET_IN_PROGRESS, Times: n}
}

// Hang makes the operation of step stay pending until cancelled; with
// ignoreCancel it stays pending after Cancel too.
func Hang(step string, ignoreCancel bool) Fault {
	return Fault{Method: step, Pending: true, IgnoreCancel: ignoreCancel}
}

// FailBackupComplete makes the operation of BackupComplete end with code.
func FailBackupComplete(code vss.HRESULT) Fault {
	return Fault{Method: "BackupComplete", Async: true, Code: code}
}

// Service is a fake VSS service. Its methods are safe for concurrent use.
type Service struct {
	mu        sync.Mutex
	volumes   []Volume
	writers   []Writer
	faults    []*Fault
	objects   []*object
	sessions  []*session
	snapshots []*snapshot // every shadow copy made, deleted ones too
	calls     []string
	problems  []string
	pollsLeft int // QueryStatus answers PENDING this often before an operation ends

	backupType vss.VSS_BACKUP_TYPE // of the last SetBackupState
}

// snapshot is a shadow copy of the fake.
type snapshot struct {
	id, set    windows.GUID
	count      int
	volume     Volume
	device     string
	context    vss.VSS_SNAPSHOT_CONTEXT
	created    time.Time
	exposed    string
	deleted    bool
	persistent bool
}

// New returns a fake service with DefaultVolumes and DefaultWriters and no
// shadow copies.
func New() *Service {
	buildVtables()
	return &Service{
		volumes:   append([]Volume(nil), DefaultVolumes...),
		writers:   append([]Writer(nil), DefaultWriters...),
		pollsLeft: 1,
	}
}

// Inject adds a fault.
func (s *Service) Inject(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// Shadow is the shadow.Service that takes its backup components from s.
func (s *Service) Shadow() *shadow.Service {
	return &shadow.Service{NewBackupComponents: s.Create, VolumeName: s.VolumeName}
}

// Create makes a new backup components object with one reference, as
// CreateVssBackupComponents does.
func (s *Service) Create() (*vss.IVssBackupComponents, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = append(s.calls, "Create")
	if f := s.fault("Create"); f != nil && !f.Async && !f.Pending && f.Writer == "" {
		return nil, vss.NewError(vss.Proc_CreateVssBackupComponentsInternal, f.Code, vss.CurrentOSVersion())
	}
	o := s.newObject(kindBackup, fmt.Sprintf("backup components #%d", len(s.sessions)+1))
	sess := &session{svc: s, obj: o, context: vss.VSS_CTX_BACKUP, disabled: map[int]bool{}, thread: windows.GetCurrentThreadId()}
	if !comInitialized() {
		s.problemf("%s created on a thread that has not initialised COM (no CoInitializeEx)", o.name)
	}
	o.backup = sess
	s.sessions = append(s.sessions, sess)
	return (*vss.IVssBackupComponents)(unsafe.Pointer(o)), nil
}

// VolumeName gives the volume GUID path of one of the fake's volumes.
func (s *Service) VolumeName(path string) (string, error) {
	if v, ok := s.volume(path); ok {
		return v.Name, nil
	}
	return "", fmt.Errorf("GetVolumeNameForVolumeMountPoint %s: %w", path, windows.ERROR_FILE_NOT_FOUND)
}

func (s *Service) volume(path string) (Volume, bool) {
	if !strings.HasSuffix(path, `\`) {
		path += `\`
	}
	for _, v := range s.volumes {
		if strings.EqualFold(v.Path, path) || strings.EqualFold(v.Name, path) {
			return v, true
		}
	}
	return Volume{}, false
}

// Calls lists the methods called so far, in order, by name.
func (s *Service) Calls() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.calls...)
}

// Called counts the calls of method.
func (s *Service) Called(method string) int {
	n := 0
	for _, c := range s.Calls() {
		if c == method {
			n++
		}
	}
	return n
}

// BackupType is the backup type the last SetBackupState gave, or
// VSS_BT_UNDEFINED.
func (s *Service) BackupType() vss.VSS_BACKUP_TYPE {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.backupType
}

// Exists reports whether the shadow copy exists.
func (s *Service) Exists(id windows.GUID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sn := s.find(id)
	return sn != nil
}

// Existing lists the IDs of the shadow copies that exist.
func (s *Service) Existing() []windows.GUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	var ids []windows.GUID
	for _, sn := range s.snapshots {
		if !sn.deleted {
			ids = append(ids, sn.id)
		}
	}
	return ids
}

// AddSnapshot makes a persistent shadow copy of the volume at path, as if
// another program had made it earlier, and returns its ID. Like the
// persistent copies a requester makes, it is to remain only if Check is
// told to keep it.
func (s *Service) AddSnapshot(path string) windows.GUID {
	s.mu.Lock()
	defer s.mu.Unlock()
	v, ok := s.volume(path)
	if !ok {
		panic("shadowtest: no volume " + path)
	}
	sn := s.newSnapshot(newGUID(), 1, v, vss.VSS_CTX_APP_ROLLBACK)
	sn.persistent = true
	return sn.id
}

// Check reports what went wrong with the requester: backup components
// created on a thread that has not initialised COM, or called on another
// thread than the one that created them (the package shadow keeps each on
// one thread); a reference to a fake
// object not released; a shadow copy that is not persistent and still
// exists; a persistent one that exists although keep does not list it;
// one keep lists that does not exist; a backup
// components object released after StartSnapshotSet without
// BackupComplete or AbortBackup, or after a DoSnapshotSet that did not
// succeed without AbortBackup; a call out of order or on a released
// object. It returns nil when all is well.
func (s *Service) Check(keep ...windows.GUID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	problems := append([]string(nil), s.problems...)
	for _, o := range s.objects {
		if o.refs != 0 {
			problems = append(problems, fmt.Sprintf("%s (%s) has %d reference(s) left: not released", kindNames[o.kind], o.name, o.refs))
		}
	}
	kept := map[windows.GUID]bool{}
	for _, id := range keep {
		kept[id] = true
		if sn := s.find(id); sn == nil {
			problems = append(problems, fmt.Sprintf("shadow copy %v was to be kept but does not exist", id))
		}
	}
	for _, sn := range s.snapshots {
		switch {
		case sn.deleted || kept[sn.id]:
		case !sn.persistent:
			problems = append(problems, fmt.Sprintf("shadow copy %v of %s (not persistent, %s) was not deleted", sn.id, sn.volume.Path, sn.context))
		default:
			problems = append(problems, fmt.Sprintf("persistent shadow copy %v of %s remains, and the test did not ask for it", sn.id, sn.volume.Path))
		}
	}
	for _, sess := range s.sessions {
		if sess.obj.refs != 0 {
			continue // reported above
		}
		if sess.started && !sess.completed && !sess.aborted {
			problems = append(problems, fmt.Sprintf("%s: StartSnapshotSet was called, then neither BackupComplete nor AbortBackup", sess.obj.name))
		}
		if sess.snapshotCalled && !sess.snapshotted && !sess.aborted {
			problems = append(problems, fmt.Sprintf("%s: DoSnapshotSet did not succeed, and AbortBackup was not called", sess.obj.name))
		}
	}
	if len(problems) == 0 {
		return nil
	}
	return errors.New("shadowtest: " + strings.Join(problems, "\nshadowtest: "))
}

func (s *Service) find(id windows.GUID) *snapshot {
	for _, sn := range s.snapshots {
		if sn.id == id && !sn.deleted {
			return sn
		}
	}
	return nil
}

func (s *Service) newSnapshot(set windows.GUID, count int, v Volume, ctx vss.VSS_SNAPSHOT_CONTEXT) *snapshot {
	n := len(s.snapshots) + 1
	sn := &snapshot{
		id: newGUID(), set: set, count: count, volume: v, context: ctx,
		device:     fmt.Sprintf(`\\?\GLOBALROOT\Device\HarddiskVolumeShadowCopy%d`, n),
		created:    time.Now(),
		persistent: vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(ctx)&vss.VSS_VOLSNAP_ATTR_PERSISTENT != 0,
	}
	s.snapshots = append(s.snapshots, sn)
	return sn
}

var guidCounter struct {
	sync.Mutex
	n uint32
}

// newGUID makes an ID no other has in this process.
func newGUID() windows.GUID {
	guidCounter.Lock()
	defer guidCounter.Unlock()
	guidCounter.n++
	return windows.GUID{Data1: guidCounter.n, Data2: 0x5eed, Data3: 0x4000, Data4: [8]byte{0x80, 0x5e, 0xed}}
}

// problemf records a problem Check reports.
func (s *Service) problemf(format string, args ...any) {
	s.problems = append(s.problems, fmt.Sprintf(format, args...))
}

// fault finds the fault for a call of method and counts the hit.
func (s *Service) fault(method string) *Fault {
	for _, f := range s.faults {
		if f.Method == method && (f.Times == 0 || f.hits < f.Times) {
			f.hits++
			return f
		}
	}
	return nil
}

func (s *Service) newObject(k kind, name string) *object {
	o := &object{vtbl: &vtables[k][0], svc: s, kind: k, name: name, refs: 1}
	s.objects = append(s.objects, o)
	return o
}

// alive checks that o still has references; a call on a released object
// is a problem.
func (s *Service) alive(o *object, what string) bool {
	if o.refs <= 0 {
		s.problemf("%s of %s (%s) after its last Release", what, kindNames[o.kind], o.name)
		return false
	}
	return true
}

func (s *Service) queryInterface(o *object, iid *windows.GUID, out *unsafe.Pointer) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if out == nil {
		return hrPointer
	}
	*out = nil
	if !s.alive(o, "QueryInterface") {
		return uintptr(vss.E_UNEXPECTED)
	}
	for _, id := range iidsOf(o.kind) {
		if *id == *iid {
			o.refs++
			*out = unsafe.Pointer(o)
			return hrOK
		}
	}
	return hrNoInterface
}

func (s *Service) addRef(o *object) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "AddRef") {
		return 0
	}
	o.refs++
	return uint32(o.refs)
}

func (s *Service) release(o *object) uint32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "Release") {
		return 0
	}
	o.refs--
	if o.refs == 0 && o.kind == kindBackup && o.backup.busy != nil && !o.backup.busy.ignoreCancel {
		// Releasing the object ends its operation, as the service would.
		o.backup.busy = nil
	}
	return uint32(o.refs)
}

// enter runs a method of the backup components o under the lock.
func (s *Service) enter(o *object, f func(*session) uintptr) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "a method") {
		return uintptr(vss.E_UNEXPECTED)
	}
	if tid := windows.GetCurrentThreadId(); tid != o.backup.thread && !o.backup.otherThread {
		// Reported once per object.
		o.backup.otherThread = true
		s.problemf("%s called on thread %d; it was created on thread %d", o.name, tid, o.backup.thread)
	}
	return f(o.backup)
}
