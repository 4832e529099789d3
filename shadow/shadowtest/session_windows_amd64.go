package shadowtest

import (
	"fmt"
	"strings"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"

	"github.com/vssgen/vssgen/generated/vss"
)

// phase is how far a backup components object has gone in the protocol.
type phase int

const (
	phaseCreated     phase = iota
	phaseInitialized       // InitializeForBackup
	phaseGathered          // GatherWriterMetadata's operation ended well
	phaseStarted           // StartSnapshotSet
	phasePrepared          // PrepareForBackup's operation ended well
	phaseSnapshotted       // DoSnapshotSet's operation ended well
)

var phaseNames = []string{"created", "initialized for backup", "writer metadata gathered", "shadow copy set started", "prepared for backup", "shadow copies taken"}

func (p phase) String() string { return phaseNames[p] }

// session is the state of one backup components object.
type session struct {
	svc         *Service
	obj         *object
	phase       phase
	thread      uint32 // the OS thread that created the object
	otherThread bool   // a call came from another thread

	contextSet bool
	context    vss.VSS_SNAPSHOT_CONTEXT
	disabled   map[int]bool // writers disabled by class or instance
	enabled    map[int]bool // with EnableWriterClasses: the only writers enabled
	metadata   bool         // writer metadata gathered and not freed
	status     bool         // writer status gathered and not freed
	writerFail map[int]writerFailure

	setID          windows.GUID
	added          []addedVolume
	backupStateSet bool
	busy           *async // the operation running, if any

	started, snapshotCalled, snapshotted, completed, aborted bool
}

type addedVolume struct {
	id     windows.GUID
	volume Volume
}

type writerFailure struct {
	state vss.VSS_WRITER_STATE
	code  vss.HRESULT
}

// async is the state of one IVssAsync.
type async struct {
	sess         *session
	op           string
	result       vss.HRESULT
	polls        int // QueryStatus answers left that say PENDING
	pending      bool
	ignoreCancel bool
	done         bool
	onDone       func() // applied when the operation ends with S_OK
}

func word32(w uintptr) uint32 { return uint32(w) } // COM leaves the upper half of a 32-bit argument undefined

// call records a call of method and checks the object is not busy with an
// operation; ok is false when the call must return hr.
func (s *session) call(method string) (hr uintptr, ok bool) {
	s.svc.calls = append(s.svc.calls, method)
	if s.busy != nil && method != "AbortBackup" {
		return s.badState(method, "the operation of "+s.busy.op+" is still running"), false
	}
	return 0, true
}

// badState records an out-of-order call and returns VSS_E_BAD_STATE.
func (s *session) badState(method, why string) uintptr {
	s.svc.problemf("%s: %s out of order (%s): %s", s.obj.name, method, s.phase, why)
	return uintptr(vss.VSS_E_BAD_STATE)
}

// plainFault returns the code of a fault that makes the call itself fail.
func (s *session) plainFault(method string) (*Fault, uintptr, bool) {
	f := s.svc.fault(method)
	if f.plain() && f.Code.Failed() {
		return f, uintptr(f.Code), true
	}
	return f, 0, false
}

// startAsync hands out the IVssAsync of an operation shaped by fault f.
func (s *session) startAsync(method string, f *Fault, out *unsafe.Pointer, onDone func()) uintptr {
	if out == nil {
		return hrPointer
	}
	a := &async{sess: s, op: method, result: vss.S_OK, polls: s.svc.pollsLeft, onDone: onDone}
	if f != nil {
		switch {
		case f.Async:
			a.result = f.Code
		case f.Pending:
			a.pending, a.ignoreCancel = true, f.IgnoreCancel
		}
	}
	o := s.svc.newObject(kindAsync, fmt.Sprintf("%s of %s", method, s.obj.name))
	o.async = a
	s.busy = a
	*out = unsafe.Pointer(o)
	if f.plain() {
		// A success code the method does not document, beside the object.
		return uintptr(f.Code)
	}
	return hrOK
}

// plain reports whether f makes the call itself return its code.
func (f *Fault) plain() bool {
	return f != nil && !f.Async && !f.Pending && f.Writer == ""
}

// finish ends the operation a, applying its effect if it succeeded.
func (a *async) finish() {
	if a.done {
		return
	}
	a.done, a.pending = true, false
	if a.sess.busy == a {
		a.sess.busy = nil
	}
	if a.result == vss.S_OK && a.onDone != nil {
		a.onDone()
	}
}

func (s *session) writerEnabled(i int) bool {
	if s.disabled[i] {
		return false
	}
	return s.enabled == nil || s.enabled[i]
}

// enabledWriters are the indexes of the writers taking part.
func (s *session) enabledWriters() []int {
	var ws []int
	if vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(s.context)&vss.VSS_VOLSNAP_ATTR_NO_WRITERS != 0 && s.context != vss.VSS_CTX_ALL {
		return nil
	}
	for i := range s.svc.writers {
		if s.writerEnabled(i) {
			ws = append(ws, i)
		}
	}
	return ws
}

func (s *session) noWriters() bool {
	return s.context != vss.VSS_CTX_ALL && vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(s.context)&vss.VSS_VOLSNAP_ATTR_NO_WRITERS != 0
}

// veto applies a writer veto of fault f at a step.
func (s *session) veto(f *Fault, state vss.VSS_WRITER_STATE) {
	if f == nil || f.Writer == "" {
		return
	}
	for _, i := range s.enabledWriters() {
		if strings.EqualFold(s.svc.writers[i].Name, f.Writer) {
			if s.writerFail == nil {
				s.writerFail = map[int]writerFailure{}
			}
			s.writerFail[i] = writerFailure{state, f.Code}
		}
	}
}

func (s *session) visible(sn *snapshot) bool {
	return s.context == vss.VSS_CTX_ALL || sn.context == s.context
}

func (s *session) initializeForBackup(xml *uint16) uintptr {
	if hr, ok := s.call("InitializeForBackup"); !ok {
		return hr
	}
	if s.phase != phaseCreated {
		return s.badState("InitializeForBackup", "it was called before")
	}
	if _, hr, ok := s.plainFault("InitializeForBackup"); ok {
		return hr
	}
	if xml != nil {
		s.svc.problemf("%s: InitializeForBackup got a document; the fake imports none", s.obj.name)
		return uintptr(vss.E_INVALIDARG)
	}
	s.phase = phaseInitialized
	return hrOK
}

func (s *session) setContext(ctx uintptr) uintptr {
	if hr, ok := s.call("SetContext"); !ok {
		return hr
	}
	if s.phase != phaseInitialized || s.contextSet {
		return s.badState("SetContext", "it comes once, right after InitializeForBackup")
	}
	if _, hr, ok := s.plainFault("SetContext"); ok {
		return hr
	}
	s.context, s.contextSet = vss.VSS_SNAPSHOT_CONTEXT(int32(word32(ctx))), true
	return hrOK
}

func (s *session) writerFilter(method string, ids *windows.GUID, n uintptr) uintptr {
	if hr, ok := s.call(method); !ok {
		return hr
	}
	if s.phase != phaseInitialized {
		return s.badState(method, "writers are chosen before GatherWriterMetadata")
	}
	if _, hr, ok := s.plainFault(method); ok {
		return hr
	}
	if ids == nil || word32(n) == 0 {
		return uintptr(vss.E_INVALIDARG)
	}
	for _, id := range unsafe.Slice(ids, word32(n)) {
		for i, w := range s.svc.writers {
			switch {
			case method == "DisableWriterClasses" && w.Class == id,
				method == "DisableWriterInstances" && w.Instance == id:
				s.disabled[i] = true
			case method == "EnableWriterClasses" && w.Class == id:
				if s.enabled == nil {
					s.enabled = map[int]bool{}
				}
				s.enabled[i] = true
			}
		}
	}
	if method == "EnableWriterClasses" && s.enabled == nil {
		s.enabled = map[int]bool{} // classes no writer has: none takes part
	}
	return hrOK
}

func (s *session) gatherWriterMetadata(out *unsafe.Pointer) uintptr {
	if hr, ok := s.call("GatherWriterMetadata"); !ok {
		return hr
	}
	if s.phase != phaseInitialized {
		return s.badState("GatherWriterMetadata", "it comes once, after InitializeForBackup and SetContext")
	}
	f, hr, ok := s.plainFault("GatherWriterMetadata")
	if ok {
		return hr
	}
	return s.startAsync("GatherWriterMetadata", f, out, func() {
		s.phase, s.metadata = phaseGathered, true
	})
}

func (s *session) getWriterMetadataCount(n *uint32) uintptr {
	if hr, ok := s.call("GetWriterMetadataCount"); !ok {
		return hr
	}
	if !s.metadata {
		return s.badState("GetWriterMetadataCount", "no writer metadata gathered, or freed already")
	}
	if n == nil {
		return hrPointer
	}
	*n = uint32(len(s.enabledWriters()))
	return hrOK
}

func (s *session) getWriterMetadata(i uintptr, inst *windows.GUID, out *unsafe.Pointer) uintptr {
	if hr, ok := s.call("GetWriterMetadata"); !ok {
		return hr
	}
	if !s.metadata {
		return s.badState("GetWriterMetadata", "no writer metadata gathered, or freed already")
	}
	ws := s.enabledWriters()
	if int(word32(i)) >= len(ws) {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	if inst == nil || out == nil {
		return hrPointer
	}
	w := ws[word32(i)]
	*inst = s.svc.writers[w].Instance
	o := s.svc.newObject(kindMetadata, fmt.Sprintf("metadata of %s from %s", s.svc.writers[w].Name, s.obj.name))
	o.writer = w
	*out = unsafe.Pointer(o)
	return hrOK
}

func (s *session) freeWriterMetadata() uintptr {
	if hr, ok := s.call("FreeWriterMetadata"); !ok {
		return hr
	}
	if s.phase < phaseGathered {
		return s.badState("FreeWriterMetadata", "no writer metadata gathered")
	}
	s.metadata = false
	return hrOK
}

func (s *session) startSnapshotSet(out *windows.GUID) uintptr {
	if hr, ok := s.call("StartSnapshotSet"); !ok {
		return hr
	}
	switch {
	case s.started:
		return s.badState("StartSnapshotSet", "a set was started already")
	case s.phase == phaseInitialized && !s.noWriters():
		return s.badState("StartSnapshotSet", "writer metadata must be gathered first unless writers are left out")
	case s.phase != phaseGathered && s.phase != phaseInitialized:
		return s.badState("StartSnapshotSet", "it comes after GatherWriterMetadata")
	}
	if _, hr, ok := s.plainFault("StartSnapshotSet"); ok {
		return hr
	}
	if out == nil {
		return hrPointer
	}
	s.setID = newGUID()
	s.started, s.phase = true, phaseStarted
	*out = s.setID
	return hrOK
}

func (s *session) addToSnapshotSet(vol *uint16, provider, out *windows.GUID) uintptr {
	if hr, ok := s.call("AddToSnapshotSet"); !ok {
		return hr
	}
	if s.phase != phaseStarted || s.snapshotCalled {
		return s.badState("AddToSnapshotSet", "volumes are added between StartSnapshotSet and PrepareForBackup")
	}
	if _, hr, ok := s.plainFault("AddToSnapshotSet"); ok {
		return hr
	}
	if vol == nil || provider == nil || out == nil {
		return uintptr(vss.E_INVALIDARG)
	}
	if *provider != (windows.GUID{}) && *provider != SystemProvider {
		return uintptr(vss.VSS_E_PROVIDER_NOT_REGISTERED)
	}
	v, ok := s.svc.volume(windows.UTF16PtrToString(vol))
	if !ok {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	for _, a := range s.added {
		if a.volume == v {
			return uintptr(vss.VSS_E_OBJECT_ALREADY_EXISTS)
		}
	}
	a := addedVolume{id: newGUID(), volume: v}
	s.added = append(s.added, a)
	*out = a.id
	return hrOK
}

func (s *session) setBackupState(sel, boot, typ, partial uintptr) uintptr {
	if hr, ok := s.call("SetBackupState"); !ok {
		return hr
	}
	if s.phase < phaseInitialized || s.phase >= phasePrepared {
		return s.badState("SetBackupState", "it comes before PrepareForBackup")
	}
	if _, hr, ok := s.plainFault("SetBackupState"); ok {
		return hr
	}
	if t := vss.VSS_BACKUP_TYPE(word32(typ)); t < vss.VSS_BT_FULL || t > vss.VSS_BT_OTHER {
		return uintptr(vss.E_INVALIDARG)
	}
	s.backupStateSet = true
	s.svc.backupType = vss.VSS_BACKUP_TYPE(word32(typ))
	return hrOK
}

func (s *session) prepareForBackup(out *unsafe.Pointer) uintptr {
	if hr, ok := s.call("PrepareForBackup"); !ok {
		return hr
	}
	switch {
	case s.phase != phaseStarted:
		return s.badState("PrepareForBackup", "it comes after StartSnapshotSet")
	case len(s.added) == 0:
		return s.badState("PrepareForBackup", "no volume was added to the set")
	case !s.backupStateSet:
		return s.badState("PrepareForBackup", "SetBackupState was not called")
	}
	f, hr, ok := s.plainFault("PrepareForBackup")
	if ok {
		return hr
	}
	s.veto(f, vss.VSS_WS_FAILED_AT_PREPARE_BACKUP)
	return s.startAsync("PrepareForBackup", f, out, func() { s.phase = phasePrepared })
}

func (s *session) doSnapshotSet(out *unsafe.Pointer) uintptr {
	if hr, ok := s.call("DoSnapshotSet"); !ok {
		return hr
	}
	if s.phase != phasePrepared || s.snapshotCalled {
		return s.badState("DoSnapshotSet", "it comes once, after PrepareForBackup")
	}
	f, hr, ok := s.plainFault("DoSnapshotSet")
	if ok {
		return hr
	}
	s.snapshotCalled = true
	// The shadow copies exist from here on, whatever becomes of the
	// operation: a requester must delete them when it fails.
	for _, a := range s.added {
		sn := s.svc.newSnapshot(s.setID, len(s.added), a.volume, s.context)
		sn.id = a.id
	}
	s.veto(f, vss.VSS_WS_FAILED_AT_FREEZE)
	return s.startAsync("DoSnapshotSet", f, out, func() {
		s.phase, s.snapshotted = phaseSnapshotted, true
	})
}

func (s *session) gatherWriterStatus(out *unsafe.Pointer) uintptr {
	if hr, ok := s.call("GatherWriterStatus"); !ok {
		return hr
	}
	if s.phase < phaseGathered {
		return s.badState("GatherWriterStatus", "it comes after GatherWriterMetadata")
	}
	f, hr, ok := s.plainFault("GatherWriterStatus")
	if ok {
		return hr
	}
	return s.startAsync("GatherWriterStatus", f, out, func() { s.status = true })
}

func (s *session) getWriterStatusCount(n *uint32) uintptr {
	if hr, ok := s.call("GetWriterStatusCount"); !ok {
		return hr
	}
	if !s.status {
		return s.badState("GetWriterStatusCount", "no writer status gathered, or freed already")
	}
	if n == nil {
		return hrPointer
	}
	*n = uint32(len(s.enabledWriters()))
	return hrOK
}

func (s *session) getWriterStatus(i uintptr, inst, class *windows.GUID, name **uint16, state *int32, failure *uint32) uintptr {
	if hr, ok := s.call("GetWriterStatus"); !ok {
		return hr
	}
	if !s.status {
		return s.badState("GetWriterStatus", "no writer status gathered, or freed already")
	}
	ws := s.enabledWriters()
	if int(word32(i)) >= len(ws) {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	if inst == nil || class == nil || name == nil || state == nil || failure == nil {
		return hrPointer
	}
	w := ws[word32(i)]
	*inst, *class = s.svc.writers[w].Instance, s.svc.writers[w].Class
	*name = bstr(s.svc.writers[w].Name)
	*state, *failure = int32(vss.VSS_WS_STABLE), 0
	if f, ok := s.writerFail[w]; ok {
		*state, *failure = int32(f.state), uint32(f.code)
	}
	return hrOK
}

func (s *session) freeWriterStatus() uintptr {
	if hr, ok := s.call("FreeWriterStatus"); !ok {
		return hr
	}
	s.status = false
	return hrOK
}

func (s *session) backupComplete(out *unsafe.Pointer) uintptr {
	if hr, ok := s.call("BackupComplete"); !ok {
		return hr
	}
	if s.phase != phaseSnapshotted || s.completed {
		return s.badState("BackupComplete", "it comes once, after DoSnapshotSet succeeded")
	}
	f, hr, ok := s.plainFault("BackupComplete")
	s.completed = true
	if ok {
		return hr
	}
	return s.startAsync("BackupComplete", f, out, nil)
}

func (s *session) abortBackup() uintptr {
	if hr, ok := s.call("AbortBackup"); !ok {
		return hr
	}
	if s.phase < phaseInitialized {
		return s.badState("AbortBackup", "the object is not initialized")
	}
	s.aborted = true
	// Aborting ends the backup: an operation still running, even one that
	// ignores Cancel, no longer holds the object.
	s.busy = nil
	if _, hr, ok := s.plainFault("AbortBackup"); ok {
		return hr
	}
	return hrOK
}

// needsQueryState checks that the object may query and manage shadow
// copies: initialized, with a context.
func (s *session) needsQueryState(method string) (uintptr, bool) {
	if hr, ok := s.call(method); !ok {
		return hr, false
	}
	if s.phase < phaseInitialized || !s.contextSet {
		return s.badState(method, "it comes after InitializeForBackup and SetContext"), false
	}
	if _, hr, ok := s.plainFault(method); ok {
		return hr, false
	}
	return 0, true
}

func (s *session) deleteSnapshots(id *windows.GUID, typ, force uintptr, deleted *int32, nondeleted *windows.GUID) uintptr {
	if hr, ok := s.needsQueryState("DeleteSnapshots"); !ok {
		return hr
	}
	if id == nil || deleted == nil || nondeleted == nil {
		return uintptr(vss.E_INVALIDARG)
	}
	t := vss.VSS_OBJECT_TYPE(word32(typ))
	if t != vss.VSS_OBJECT_SNAPSHOT && t != vss.VSS_OBJECT_SNAPSHOT_SET {
		return uintptr(vss.E_INVALIDARG)
	}
	n := int32(0)
	for _, sn := range s.svc.snapshots {
		if sn.deleted || !s.visible(sn) {
			continue
		}
		if t == vss.VSS_OBJECT_SNAPSHOT && sn.id == *id || t == vss.VSS_OBJECT_SNAPSHOT_SET && sn.set == *id {
			sn.deleted = true
			n++
		}
	}
	*deleted, *nondeleted = n, windows.GUID{}
	if n == 0 {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	return hrOK
}

// fillProps writes sn's properties into p, with strings from
// CoTaskMemAlloc for the requester to free.
func fillProps(sn *snapshot, p *vss.VSS_SNAPSHOT_PROP) {
	*p = vss.VSS_SNAPSHOT_PROP{
		SnapshotId:           sn.id,
		SnapshotSetId:        sn.set,
		SnapshotsCount:       int32(sn.count),
		SnapshotDeviceObject: taskString(sn.device),
		OriginalVolumeName:   taskString(sn.volume.Name),
		OriginatingMachine:   taskString("fakehost"),
		ServiceMachine:       taskString("fakehost"),
		ExposedName:          taskString(sn.exposed),
		ProviderId:           SystemProvider,
		SnapshotAttributes:   int32(sn.context) | int32(vss.VSS_VOLSNAP_ATTR_DIFFERENTIAL),
		CreationTimestamp:    sn.created.UnixNano()/100 + 116444736000000000, // FILETIME: 100 ns since 1601
		Status:               vss.VSS_SS_CREATED,
	}
}

func (s *session) getSnapshotProperties(id *windows.GUID, p *vss.VSS_SNAPSHOT_PROP) uintptr {
	if hr, ok := s.needsQueryState("GetSnapshotProperties"); !ok {
		return hr
	}
	if id == nil || p == nil {
		return uintptr(vss.E_INVALIDARG)
	}
	sn := s.svc.find(*id)
	if sn == nil || !s.visible(sn) {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	fillProps(sn, p)
	return hrOK
}

func (s *session) query(id *windows.GUID, queried, returned uintptr, out *unsafe.Pointer) uintptr {
	if hr, ok := s.needsQueryState("Query"); !ok {
		return hr
	}
	if out == nil {
		return hrPointer
	}
	if id == nil || *id != (windows.GUID{}) || vss.VSS_OBJECT_TYPE(word32(queried)) != vss.VSS_OBJECT_NONE {
		return uintptr(vss.E_INVALIDARG)
	}
	if vss.VSS_OBJECT_TYPE(word32(returned)) != vss.VSS_OBJECT_SNAPSHOT {
		s.svc.problemf("%s: Query for %v, which the fake does not list", s.obj.name, vss.VSS_OBJECT_TYPE(word32(returned)))
		return hrNotImpl
	}
	o := s.svc.newObject(kindEnum, "Query of "+s.obj.name)
	for _, sn := range s.svc.snapshots {
		if !sn.deleted && s.visible(sn) {
			var p vss.VSS_SNAPSHOT_PROP
			p.SnapshotId = sn.id // the strings are allocated as Next hands them out
			o.enum = append(o.enum, p)
		}
	}
	*out = unsafe.Pointer(o)
	return hrOK
}

func (s *session) exposeSnapshot(id *windows.GUID, fromRoot *uint16, attrs uintptr, expose *uint16, out **uint16) uintptr {
	if hr, ok := s.needsQueryState("ExposeSnapshot"); !ok {
		return hr
	}
	if id == nil || out == nil {
		return uintptr(vss.E_INVALIDARG)
	}
	*out = nil
	if vss.VSS_VOLUME_SNAPSHOT_ATTRIBUTES(word32(attrs)) != vss.VSS_VOLSNAP_ATTR_EXPOSED_LOCALLY || fromRoot != nil || expose == nil {
		return uintptr(vss.E_INVALIDARG) // the fake exposes locally only
	}
	sn := s.svc.find(*id)
	if sn == nil || !s.visible(sn) {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	sn.exposed = windows.UTF16PtrToString(expose)
	*out = taskString(sn.exposed)
	return hrOK
}

func (s *session) unexposeSnapshot(id *windows.GUID) uintptr {
	if hr, ok := s.needsQueryState("UnexposeSnapshot"); !ok {
		return hr
	}
	if id == nil {
		return uintptr(vss.E_INVALIDARG)
	}
	sn := s.svc.find(*id)
	if sn == nil || !s.visible(sn) || sn.exposed == "" {
		return uintptr(vss.VSS_E_OBJECT_NOT_FOUND)
	}
	sn.exposed = ""
	return hrOK
}

// The methods of the other objects.

func (s *Service) getIdentity(o *object, inst, class *windows.GUID, name **uint16, usage, source *int32) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "GetIdentity") {
		return uintptr(vss.E_UNEXPECTED)
	}
	if inst == nil || class == nil || name == nil || usage == nil || source == nil {
		return hrPointer
	}
	w := s.writers[o.writer]
	*inst, *class, *name = w.Instance, w.Class, bstr(w.Name)
	*usage, *source = int32(vss.VSS_UT_USERDATA), int32(vss.VSS_ST_TRANSACTEDDB)
	return hrOK
}

func (s *Service) enumNext(o *object, n uintptr, props *vss.VSS_OBJECT_PROP, fetched *uint32) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "Next") {
		return uintptr(vss.E_UNEXPECTED)
	}
	if props == nil || fetched == nil {
		return hrPointer
	}
	want := int(word32(n))
	got := 0
	out := unsafe.Slice(props, want)
	for got < want && o.enumNext < len(o.enum) {
		id := o.enum[o.enumNext].SnapshotId
		o.enumNext++
		sn := s.find(id)
		if sn == nil {
			continue // deleted since the query
		}
		out[got].Type = vss.VSS_OBJECT_SNAPSHOT
		fillProps(sn, out[got].Obj.Snap())
		got++
	}
	*fetched = uint32(got)
	if got < want {
		return uintptr(vss.S_FALSE)
	}
	return hrOK
}

func (s *Service) enumReset(o *object) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "Reset") {
		return uintptr(vss.E_UNEXPECTED)
	}
	o.enumNext = 0
	return hrOK
}

func (s *Service) asyncCancel(o *object) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "Cancel") {
		return uintptr(vss.E_UNEXPECTED)
	}
	s.calls = append(s.calls, "Cancel "+o.async.op)
	a := o.async
	switch {
	case a.done:
		return uintptr(vss.VSS_S_ASYNC_FINISHED)
	case a.ignoreCancel:
		return hrOK
	}
	a.result = vss.VSS_S_ASYNC_CANCELLED
	a.finish()
	return hrOK
}

func (s *Service) asyncWait(o *object, ms uintptr) uintptr {
	s.mu.Lock()
	if !s.alive(o, "Wait") {
		s.mu.Unlock()
		return uintptr(vss.E_UNEXPECTED)
	}
	a := o.async
	if a.pending {
		s.mu.Unlock()
		d := time.Duration(word32(ms)) * time.Millisecond
		if d > 20*time.Millisecond || word32(ms) == uint32(windows.INFINITE) {
			d = 20 * time.Millisecond // the fake would wait for ever: WaitContext polls again
		}
		time.Sleep(d)
		return hrOK
	}
	a.polls = 0
	a.finish()
	s.mu.Unlock()
	return hrOK
}

func (s *Service) asyncQueryStatus(o *object, hr *uint32, reserved uintptr) uintptr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.alive(o, "QueryStatus") {
		return uintptr(vss.E_UNEXPECTED)
	}
	if hr == nil {
		return hrPointer
	}
	if reserved != 0 {
		s.problemf("QueryStatus of %s got a reserved pointer that is not NULL", o.name)
	}
	a := o.async
	switch {
	case a.pending:
		*hr = uint32(vss.VSS_S_ASYNC_PENDING)
		return hrOK
	case !a.done && a.polls > 0:
		a.polls--
		*hr = uint32(vss.VSS_S_ASYNC_PENDING)
		return hrOK
	}
	a.finish()
	*hr = uint32(a.result)
	if a.result == vss.S_OK {
		*hr = uint32(vss.VSS_S_ASYNC_FINISHED)
	}
	return hrOK
}
