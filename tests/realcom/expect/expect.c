/*
 * The expectations of the real-COM tier. Compiled with mingw-w64 against
 * the SDK headers and run under the same Wine as the Go tests, this program
 * makes each call of the tier's cases through the SDK's own declarations
 * and prints what the real implementation did as one JSON object: case
 * name -> observation. tests/realcom makes the same calls through
 * generated/ole and must observe the same strings.
 *
 * Observations are formatted exactly as the Go side formats them:
 * "hr=0x%08X" for a call's HRESULT, then space-separated key=value pairs.
 */
#define COBJMACROS
#include <initguid.h>
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
#include <mfapi.h>
#include <stdio.h>
#include <string.h>

static int first = 1;

/* key starts a JSON member; the value follows as a string. */
static void key(const char *name)
{
	printf("%s\n  \"%s\": \"", first ? "{" : ",", name);
	first = 0;
}

static void end(void) { printf("\""); }

/* text writes printf output inside a JSON string; callers write no quotes or backslashes. */
#define text(...) printf(__VA_ARGS__)

static void hr(HRESULT h) { printf("hr=0x%08lX", (unsigned long)h); }

/* wide writes a UTF-16 string of n units inside a JSON string, escaping all but printable ASCII. */
static void wide(const WCHAR *s, UINT n)
{
	for (UINT i = 0; i < n; i++) {
		WCHAR c = s[i];
		if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\')
			printf("%c", (char)c);
		else
			printf("\\\\u%04X", (unsigned)c);
	}
}

static void bstr(BSTR b)
{
	text(" str=");
	wide(b, b ? SysStringLen(b) : 0);
}

static void guid(const GUID *g)
{
	printf("{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
		(unsigned long)g->Data1, g->Data2, g->Data3, g->Data4[0], g->Data4[1],
		g->Data4[2], g->Data4[3], g->Data4[4], g->Data4[5], g->Data4[6], g->Data4[7]);
}

/* The GUID-string cases: name, input. */
static const struct { const char *name; const WCHAR *s; } guidStrings[] = {
	{"IStream", L"{0000000C-0000-0000-C000-000000000046}"},
	{"lower case", L"{0c733a30-2a1c-11ce-ade5-00aa0044773d}"},
	{"all bits", L"{FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF}"},
	{"no braces", L"0000000C-0000-0000-C000-000000000046"},
	{"short", L"{0000000C-0000-0000-C000-00000000004}"},
	{"not hex", L"{0000000C-0000-0000-C000-00000000004G}"},
	{"empty", L""},
	{"progid", L"No.Such.ProgId"},
};

/* The 64-bit values the Var*From*8 cases format. */
static const LONGLONG signed64[] = {
	0, 1, -1, 4294967295LL, 4294967296LL, -4294967296LL, 0x0123456789ABCDEFLL,
	0x7FFFFFFFFFFFFFFFLL, (-0x7FFFFFFFFFFFFFFFLL - 1),
};
static const ULONGLONG unsigned64[] = {
	0, 4294967295ULL, 4294967296ULL, 0x8000000000000000ULL, 0xFEDCBA9876543210ULL, 0xFFFFFFFFFFFFFFFFULL,
};

/* LCIDs: English (United States) and the invariant locale. */
static const DWORD lcids[] = {0x0409, LOCALE_INVARIANT};

/* A BSTR's text with its length in characters, which may hold NULs. */
struct counted {
	const WCHAR *s;
	UINT n;
};
#define T(lit) {lit, sizeof(lit) / sizeof(WCHAR) - 1}

static BSTR alloc(struct counted t) { return SysAllocStringLen(t.s, t.n); }

static const struct { struct counted left, right; ULONG flags; const char *name; } comparisons[] = {
	{T(L"abc"), T(L"abd"), 0, "abc<abd"},
	{T(L"abd"), T(L"abc"), 0, "abd>abc"},
	{T(L"abc"), T(L"abc"), 0, "abc=abc"},
	{T(L"abc"), T(L"ABC"), 0, "abc?ABC"},
	{T(L"abc"), T(L"ABC"), NORM_IGNORECASE, "abc?ABC ignoring case"},
	{T(L""), T(L"a"), 0, "empty<a"},
	{T(L"a"), T(L""), 0, "a>empty"},
	{T(L"a\0b"), T(L"a\0c"), 0, "a NUL b?a NUL c"},
	{T(L"a\0b"), T(L"a\0b"), 0, "a NUL b?a NUL b"},
	{T(L"a"), T(L"a\0"), 0, "a?a NUL"},
};

static const struct { struct counted left, right; const char *name; } concatenations[] = {
	{T(L"abc"), T(L"def"), "abc+def"},
	{T(L""), T(L"x"), "empty+x"},
	{T(L"x"), T(L""), "x+empty"},
	{T(L""), T(L""), "empty+empty"},
	{T(L"a\0b"), T(L"c\0"), "a NUL b+c NUL"},
	{T(L"\0"), T(L"z"), "NUL+z"},
};

/* stat reports a STATSTG: everything but the times, which are the clock's. */
static void stat(const STATSTG *st, int withName)
{
	text(" type=%lu size=%llu mode=0x%lX locks=0x%lX bits=0x%lX clsid=", (unsigned long)st->type,
		(unsigned long long)st->cbSize.QuadPart, (unsigned long)st->grfMode, (unsigned long)st->grfLocksSupported,
		(unsigned long)st->grfStateBits);
	guid(&st->clsid);
	if (withName) {
		/* Go's copy of the struct holds a NULL name as the empty string. */
		text(" name=");
		if (st->pwcsName)
			wide(st->pwcsName, (UINT)wcslen(st->pwcsName));
	} else {
		text(" named=%d", st->pwcsName != NULL);
	}
}

/* The strings the Var*FromStr cases parse. */
static const struct { const WCHAR *s; const char *name; } numbers[] = {
	{L"0", "0"},
	{L"42", "42"},
	{L"-42", "-42"},
	{L"4294967296", "2^32"},
	{L"9223372036854775807", "int64 max"},
	{L"9223372036854775808", "int64 max+1"},
	{L"-9223372036854775808", "int64 min"},
	{L"18446744073709551615", "uint64 max"},
	{L"18446744073709551616", "uint64 max+1"},
	{L"12.5", "12.5"},
	{L"13.5", "13.5"},
	{L"  7  ", "spaces"},
	{L"abc", "abc"},
	{L"", "empty"},
};

static void parseCases(void)
{
	char name[128];
	for (size_t i = 0; i < sizeof numbers / sizeof numbers[0]; i++) {
		LONG64 v = 0;
		ULONG64 u = 0;
		snprintf(name, sizeof name, "VarI8FromStr/%s", numbers[i].name);
		key(name);
		HRESULT h = VarI8FromStr((OLECHAR *)numbers[i].s, 0x0409, 0, &v);
		hr(h);
		if (SUCCEEDED(h))
			text(" value=%lld", (long long)v);
		end();
		snprintf(name, sizeof name, "VarUI8FromStr/%s", numbers[i].name);
		key(name);
		h = VarUI8FromStr((OLECHAR *)numbers[i].s, 0x0409, 0, &u);
		hr(h);
		if (SUCCEEDED(h))
			text(" value=%llu", (unsigned long long)u);
		end();
	}
}

static const CLSID docClass = {0x01234567, 0x89AB, 0xCDEF, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}};

static void stringFromGuidCases(void)
{
	LPOLESTR s = NULL;
	key("StringFromCLSID");
	HRESULT h = StringFromCLSID(&docClass, &s);
	hr(h);
	if (SUCCEEDED(h)) {
		text(" str=");
		wide(s, (UINT)wcslen(s));
	}
	CoTaskMemFree(s);
	end();
	s = NULL;
	key("StringFromIID");
	h = StringFromIID(&IID_IStream, &s);
	hr(h);
	if (SUCCEEDED(h)) {
		text(" str=");
		wide(s, (UINT)wcslen(s));
	}
	CoTaskMemFree(s);
	end();
}

static const struct counted lengths[] = {T(L""), T(L"abc"), T(L"a\0b"), T(L"\0\0")};

static void lengthCases(void)
{
	char name[64];
	for (size_t i = 0; i < sizeof lengths / sizeof lengths[0]; i++) {
		BSTR b = alloc(lengths[i]);
		snprintf(name, sizeof name, "SysStringLen/%u", (unsigned)i);
		key(name);
		text("len=%u bytes=%u", SysStringLen(b), SysStringByteLen(b));
		end();
		SysFreeString(b);
	}
}

static void mallocCases(void)
{
	IMalloc *m = NULL;
	key("Malloc/CoGetMalloc 0");
	hr(CoGetMalloc(0, &m));
	text(" null=%d", m == NULL);
	end();
	if (m)
		IMalloc_Release(m);
	m = NULL;
	key("Malloc/CoGetMalloc");
	hr(CoGetMalloc(1, &m));
	end();

	void *p = IMalloc_Alloc(m, 100);
	key("Malloc/Alloc");
	text("null=%d size=%llu did=%d", p == NULL, (unsigned long long)IMalloc_GetSize(m, p), IMalloc_DidAlloc(m, p));
	end();
	p = IMalloc_Realloc(m, p, 300);
	key("Malloc/Realloc");
	text("null=%d size=%llu", p == NULL, (unsigned long long)IMalloc_GetSize(m, p));
	end();
	IMalloc_Free(m, p);
	key("Malloc/DidAlloc NULL");
	text("did=%d", IMalloc_DidAlloc(m, NULL));
	end();
	IMalloc_HeapMinimize(m);

	void *q = CoTaskMemAlloc(64);
	key("Malloc/CoTaskMemAlloc");
	text("null=%d size=%llu did=%d", q == NULL, (unsigned long long)IMalloc_GetSize(m, q), IMalloc_DidAlloc(m, q));
	end();
	q = CoTaskMemRealloc(q, 4096);
	key("Malloc/CoTaskMemRealloc");
	text("null=%d size=%llu", q == NULL, (unsigned long long)IMalloc_GetSize(m, q));
	end();
	CoTaskMemFree(q);
	key("Malloc/Release");
	text("refs=%lu", (unsigned long)IMalloc_Release(m));
	end();
}

/* The transform the MFT cases register in this process, and one it never registers. */
static const CLSID transform = {0x7E1A3C5B, 0x2D4F, 0x4A6B, {0x8C, 0x9D, 0x0E, 0x1F, 0x20, 0x31, 0x42, 0x53}};
static const CLSID otherTransform = {0x7E1A3C5B, 0x2D4F, 0x4A6B, {0x8C, 0x9D, 0x0E, 0x1F, 0x20, 0x31, 0x42, 0x54}};

static void mftCases(void)
{
	MFT_REGISTER_TYPE_INFO in = {MFMediaType_Video, MFVideoFormat_RGB32}, out = {MFMediaType_Video, MFVideoFormat_NV12};
	key("MFT/MFTRegisterLocalByCLSID");
	hr(MFTRegisterLocalByCLSID(&transform, &MFT_CATEGORY_OTHER, L"vssgen real COM", 0, 1, &in, 1, &out));
	end();
	key("MFT/Unregister other");
	hr(MFTUnregisterLocalByCLSID(otherTransform));
	end();
	key("MFT/Unregister");
	hr(MFTUnregisterLocalByCLSID(transform));
	end();
	key("MFT/Unregister again");
	hr(MFTUnregisterLocalByCLSID(transform));
	end();
	/* No media types: both arrays NULL, as their counts are zero. */
	key("MFT/MFTRegisterLocalByCLSID without types");
	hr(MFTRegisterLocalByCLSID(&otherTransform, &MFT_CATEGORY_OTHER, L"vssgen real COM, no types", 0, 0, NULL, 0, NULL));
	end();
	key("MFT/Unregister without types");
	hr(MFTUnregisterLocalByCLSID(otherTransform));
	end();
}

static void guidStringCases(void)
{
	char name[128];
	IID null;
	memset(&null, 0xAB, sizeof null);
	key("IIDFromString/NULL");
	hr(IIDFromString(NULL, &null));
	text(" guid=");
	guid(&null);
	end();
	for (size_t i = 0; i < sizeof guidStrings / sizeof guidStrings[0]; i++) {
		IID iid;
		CLSID clsid;
		memset(&iid, 0, sizeof iid);
		memset(&clsid, 0, sizeof clsid);
		snprintf(name, sizeof name, "IIDFromString/%s", guidStrings[i].name);
		key(name);
		HRESULT h = IIDFromString(guidStrings[i].s, &iid);
		hr(h);
		if (SUCCEEDED(h)) {
			text(" guid=");
			guid(&iid);
		}
		end();
		snprintf(name, sizeof name, "CLSIDFromString/%s", guidStrings[i].name);
		key(name);
		h = CLSIDFromString(guidStrings[i].s, &clsid);
		hr(h);
		if (SUCCEEDED(h)) {
			text(" guid=");
			guid(&clsid);
		}
		end();
	}
}

static void varCases(void)
{
	char name[160];
	for (size_t l = 0; l < sizeof lcids / sizeof lcids[0]; l++) {
		for (size_t i = 0; i < sizeof signed64 / sizeof signed64[0]; i++) {
			BSTR out = NULL;
			snprintf(name, sizeof name, "VarBstrFromI8/%lld/%04lX", (long long)signed64[i], (unsigned long)lcids[l]);
			key(name);
			HRESULT h = VarBstrFromI8(signed64[i], lcids[l], 0, &out);
			hr(h);
			if (SUCCEEDED(h))
				bstr(out);
			SysFreeString(out);
			end();
		}
		for (size_t i = 0; i < sizeof unsigned64 / sizeof unsigned64[0]; i++) {
			BSTR out = NULL;
			snprintf(name, sizeof name, "VarBstrFromUI8/%llu/%04lX", (unsigned long long)unsigned64[i], (unsigned long)lcids[l]);
			key(name);
			HRESULT h = VarBstrFromUI8(unsigned64[i], lcids[l], 0, &out);
			hr(h);
			if (SUCCEEDED(h))
				bstr(out);
			SysFreeString(out);
			end();
		}
		for (size_t i = 0; i < sizeof comparisons / sizeof comparisons[0]; i++) {
			BSTR left = alloc(comparisons[i].left), right = alloc(comparisons[i].right);
			snprintf(name, sizeof name, "VarBstrCmp/%s/%04lX", comparisons[i].name, (unsigned long)lcids[l]);
			key(name);
			hr(VarBstrCmp(left, right, lcids[l], comparisons[i].flags));
			end();
			SysFreeString(left);
			SysFreeString(right);
		}
	}
	for (size_t i = 0; i < sizeof concatenations / sizeof concatenations[0]; i++) {
		BSTR left = alloc(concatenations[i].left), right = alloc(concatenations[i].right), out = NULL;
		snprintf(name, sizeof name, "VarBstrCat/%s", concatenations[i].name);
		key(name);
		HRESULT h = VarBstrCat(left, right, &out);
		hr(h);
		if (SUCCEEDED(h))
			bstr(out);
		end();
		SysFreeString(left);
		SysFreeString(right);
		SysFreeString(out);
	}
}

/* apartmentCase: initialise the multithreaded apartment twice, ask for a
 * single-threaded one, then undo the successful calls. */
static void apartmentCase(void)
{
	key("CoInitializeEx");
	HRESULT a = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	HRESULT b = CoInitializeEx(NULL, COINIT_MULTITHREADED);
	HRESULT c = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
	text("first=0x%08lX again=0x%08lX other=0x%08lX", (unsigned long)a, (unsigned long)b, (unsigned long)c);
	if (SUCCEEDED(a))
		CoUninitialize();
	if (SUCCEEDED(b))
		CoUninitialize();
	if (SUCCEEDED(c))
		CoUninitialize();
	end();
}

/* readCase reads up to n bytes from s and reports the call. */
static void readCase(const char *name, IStream *s, ULONG n)
{
	char buf[64];
	ULONG got = 0xFFFFFFFF;
	key(name);
	memset(buf, 0, sizeof buf);
	hr(ISequentialStream_Read((ISequentialStream *)s, buf, n, &got));
	text(" read=%lu data=", (unsigned long)got);
	for (ULONG i = 0; i < got && i < sizeof buf; i++)
		printf("%c", buf[i] >= 0x20 && buf[i] < 0x7F && buf[i] != '"' && buf[i] != '\\' ? buf[i] : '.');
	end();
}

static const char streamData[] = "hello, real COM";

static void hglobalCases(void)
{
	SIZE_T n = sizeof streamData - 1;
	HGLOBAL mem = GlobalAlloc(GMEM_MOVEABLE, n);
	memcpy(GlobalLock(mem), streamData, n);
	GlobalUnlock(mem);

	IStream *s = NULL, *clone = NULL;
	key("HGlobal/CreateStreamOnHGlobal");
	hr(CreateStreamOnHGlobal(mem, FALSE, &s));
	end();
	readCase("HGlobal/Read 5", s, 5);
	key("HGlobal/Clone");
	hr(IStream_Clone(s, &clone));
	end();
	readCase("HGlobal/Read rest", s, 64);
	readCase("HGlobal/Read at end", s, 8);
	readCase("HGlobal/Read clone", clone, 64);
	readCase("HGlobal/Read none", clone, 0);

	IUnknown *unk = NULL;
	key("HGlobal/QueryInterface ISequentialStream");
	hr(IStream_QueryInterface(s, &IID_ISequentialStream, (void **)&unk));
	end();
	if (unk)
		IUnknown_Release(unk);
	unk = NULL;
	key("HGlobal/QueryInterface IStorage");
	hr(IStream_QueryInterface(s, &IID_IStorage, (void **)&unk));
	text(" null=%d", unk == NULL);
	end();

	key("HGlobal/Commit");
	hr(IStream_Commit(s, STGC_DEFAULT));
	end();
	key("HGlobal/Revert");
	hr(IStream_Revert(s));
	end();
	key("HGlobal/Release clone");
	text("refs=%lu", (unsigned long)IStream_Release(clone));
	end();
	key("HGlobal/AddRef");
	text("refs=%lu", (unsigned long)IStream_AddRef(s));
	end();
	IStream_Release(s);
	key("HGlobal/Release");
	text("refs=%lu", (unsigned long)IStream_Release(s));
	end();

	s = NULL;
	key("HGlobal/new block");
	hr(CreateStreamOnHGlobal(NULL, TRUE, &s));
	end();
	readCase("HGlobal/Read new block", s, 8);

	/* CopyTo from a stream over the block into the new one; a clone made
	 * before keeps position 0 to read the copy back. cb has a high word. */
	IStream *src = NULL, *back = NULL;
	STATSTG st;
	ULARGE_INTEGER read, written, cb;
	CreateStreamOnHGlobal(mem, FALSE, &src);
	IStream_Clone(s, &back);
	cb.QuadPart = 0x100000005ULL;
	read.QuadPart = written.QuadPart = 0xFFFFFFFFFFFFFFFFULL;
	key("HGlobal/CopyTo");
	hr(IStream_CopyTo(src, s, cb, &read, &written));
	text(" read=%llu written=%llu", (unsigned long long)read.QuadPart, (unsigned long long)written.QuadPart);
	end();
	memset(&st, 0, sizeof st);
	key("HGlobal/Stat copy");
	hr(IStream_Stat(s, &st, STATFLAG_NONAME));
	stat(&st, 1);
	end();
	readCase("HGlobal/Read copy", back, 64);
	memset(&st, 0, sizeof st);
	key("HGlobal/Stat default");
	hr(IStream_Stat(src, &st, STATFLAG_DEFAULT));
	stat(&st, 1);
	CoTaskMemFree(st.pwcsName);
	end();

	ULARGE_INTEGER size, offset, length;
	size.QuadPart = 0x100000003ULL;
	key("HGlobal/SetSize 2^32+3");
	hr(IStream_SetSize(s, size));
	memset(&st, 0, sizeof st);
	IStream_Stat(s, &st, STATFLAG_NONAME);
	text(" size=%llu", (unsigned long long)st.cbSize.QuadPart);
	end();
	size.QuadPart = 3;
	key("HGlobal/SetSize 3");
	hr(IStream_SetSize(s, size));
	memset(&st, 0, sizeof st);
	IStream_Stat(s, &st, STATFLAG_NONAME);
	text(" size=%llu", (unsigned long long)st.cbSize.QuadPart);
	end();
	offset.QuadPart = 1;
	length.QuadPart = 0x100000001ULL;
	key("HGlobal/LockRegion");
	hr(IStream_LockRegion(s, offset, length, LOCK_WRITE));
	end();
	key("HGlobal/UnlockRegion");
	hr(IStream_UnlockRegion(s, offset, length, LOCK_WRITE));
	end();
	IStream_Release(back);
	IStream_Release(src);
	IStream_Release(s);
	GlobalFree(mem);
}

static void seekCase(const char *name, IStream *s, LONGLONG move, DWORD origin)
{
	LARGE_INTEGER d;
	ULARGE_INTEGER pos;
	d.QuadPart = move;
	pos.QuadPart = 0;
	key(name);
	hr(IStream_Seek(s, d, origin, &pos));
	text(" pos=%llu", (unsigned long long)pos.QuadPart);
	end();
}

/* seekCases moves the position of a 10-byte HGLOBAL stream from each
   origin, by negative offsets and by offsets with a high DWORD, and with an
   origin that is not a STREAM_SEEK value. */
static void seekCases(void)
{
	IStream *s = NULL;
	ULARGE_INTEGER size;
	key("Seek/CreateStreamOnHGlobal");
	hr(CreateStreamOnHGlobal(NULL, TRUE, &s));
	end();
	if (!s)
		return;
	size.QuadPart = 10;
	IStream_SetSize(s, size);
	seekCase("Seek/SET 4", s, 4, STREAM_SEEK_SET);
	seekCase("Seek/CUR 3", s, 3, STREAM_SEEK_CUR);
	seekCase("Seek/CUR -5", s, -5, STREAM_SEEK_CUR);
	seekCase("Seek/END -1", s, -1, STREAM_SEEK_END);
	seekCase("Seek/END 0", s, 0, STREAM_SEEK_END);
	seekCase("Seek/SET 2^32+1", s, 0x100000001LL, STREAM_SEEK_SET);
	seekCase("Seek/CUR 2^32+6", s, 0x100000006LL, STREAM_SEEK_CUR);
	seekCase("Seek/CUR -2^32-2", s, -0x100000002LL, STREAM_SEEK_CUR);
	seekCase("Seek/SET -1", s, -1, STREAM_SEEK_SET);
	seekCase("Seek/CUR -8", s, -8, STREAM_SEEK_CUR);
	seekCase("Seek/invalid origin", s, 0, 3);
	seekCase("Seek/CUR 0", s, 0, STREAM_SEEK_CUR);
	IStream_Release(s);
}

static void docfileCases(void)
{
	IStorage *stg = NULL;
	IStream *s = NULL;

	key("Docfile/StgCreateDocfile");
	hr(StgCreateDocfile(NULL, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE | STGM_DELETEONRELEASE, 0, &stg));
	end();
	key("Docfile/CreateStream");
	hr(IStorage_CreateStream(stg, L"Contents", STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &s));
	end();
	STATSTG st;
	ULARGE_INTEGER size, offset, length;
	memset(&st, 0, sizeof st);
	key("Docfile/Stream Stat");
	hr(IStream_Stat(s, &st, STATFLAG_DEFAULT));
	stat(&st, 1);
	CoTaskMemFree(st.pwcsName);
	end();
	size.QuadPart = 16;
	key("Docfile/Stream SetSize");
	hr(IStream_SetSize(s, size));
	memset(&st, 0, sizeof st);
	IStream_Stat(s, &st, STATFLAG_NONAME);
	text(" size=%llu", (unsigned long long)st.cbSize.QuadPart);
	end();
	offset.QuadPart = 0;
	length.QuadPart = 1;
	key("Docfile/Stream LockRegion");
	hr(IStream_LockRegion(s, offset, length, LOCK_WRITE));
	end();
	IStream_Release(s);
	s = NULL;
	key("Docfile/CreateStream again");
	hr(IStorage_CreateStream(stg, L"Contents", STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &s));
	text(" null=%d", s == NULL);
	end();
	key("Docfile/CreateStream shared");
	hr(IStorage_CreateStream(stg, L"Shared", STGM_CREATE | STGM_READWRITE | STGM_SHARE_DENY_NONE, 0, 0, &s));
	end();
	if (s)
		IStream_Release(s);
	s = NULL;
	key("Docfile/CreateStream long name");
	hr(IStorage_CreateStream(stg, L"ThisNameHasMoreThanThirtyOneCharacters", STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &s));
	end();
	if (s)
		IStream_Release(s);
	s = NULL;
	key("Docfile/OpenStream");
	hr(IStorage_OpenStream(stg, L"Contents", NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &s));
	end();
	readCase("Docfile/Read stream", s, 8);
	IStream_Release(s);
	s = NULL;
	key("Docfile/OpenStream missing");
	hr(IStorage_OpenStream(stg, L"Missing", NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &s));
	end();
	if (s)
		IStream_Release(s);
	s = NULL;
	key("Docfile/SetClass");
	hr(IStorage_SetClass(stg, &docClass));
	end();
	memset(&st, 0, sizeof st);
	key("Docfile/Stat");
	hr(IStorage_Stat(stg, &st, STATFLAG_NONAME));
	stat(&st, 0);
	end();
	memset(&st, 0, sizeof st);
	key("Docfile/Stat default");
	hr(IStorage_Stat(stg, &st, STATFLAG_DEFAULT));
	stat(&st, 0);
	CoTaskMemFree(st.pwcsName);
	end();
	key("Docfile/Commit");
	hr(IStorage_Commit(stg, STGC_DEFAULT));
	end();
	key("Docfile/Revert");
	hr(IStorage_Revert(stg));
	end();
	key("Docfile/DestroyElement");
	hr(IStorage_DestroyElement(stg, L"Contents"));
	end();
	key("Docfile/OpenStream destroyed");
	hr(IStorage_OpenStream(stg, L"Contents", NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &s));
	end();
	if (s)
		IStream_Release(s);
	s = NULL;
	key("Docfile/DestroyElement again");
	hr(IStorage_DestroyElement(stg, L"Contents"));
	end();
	key("Docfile/Release");
	text("refs=%lu", (unsigned long)IStorage_Release(stg));
	end();
}

int main(void)
{
	guidStringCases();
	varCases();
	apartmentCase();
	parseCases();
	stringFromGuidCases();
	lengthCases();
	mallocCases();
	hglobalCases();
	seekCases();
	docfileCases();
	mftCases();
	printf("\n}\n");
	return 0;
}
