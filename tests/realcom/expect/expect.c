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
#include <windows.h>
#include <objbase.h>
#include <oleauto.h>
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

static void guidStringCases(void)
{
	char name[128];
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
	GlobalFree(mem);

	s = NULL;
	key("HGlobal/new block");
	hr(CreateStreamOnHGlobal(NULL, TRUE, &s));
	end();
	readCase("HGlobal/Read new block", s, 8);
	IStream_Release(s);
}

static void docfileCases(void)
{
	IStorage *stg = NULL;
	IStream *s = NULL;
	static const CLSID clsid = {0x01234567, 0x89AB, 0xCDEF, {0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF}};

	key("Docfile/StgCreateDocfile");
	hr(StgCreateDocfile(NULL, STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE | STGM_DELETEONRELEASE, 0, &stg));
	end();
	key("Docfile/CreateStream");
	hr(IStorage_CreateStream(stg, L"Contents", STGM_CREATE | STGM_READWRITE | STGM_SHARE_EXCLUSIVE, 0, 0, &s));
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
	readCase("Docfile/Read empty stream", s, 8);
	IStream_Release(s);
	s = NULL;
	key("Docfile/OpenStream missing");
	hr(IStorage_OpenStream(stg, L"Missing", NULL, STGM_READ | STGM_SHARE_EXCLUSIVE, 0, &s));
	end();
	if (s)
		IStream_Release(s);
	s = NULL;
	key("Docfile/SetClass");
	hr(IStorage_SetClass(stg, &clsid));
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
	hglobalCases();
	docfileCases();
	printf("\n}\n");
	return 0;
}
