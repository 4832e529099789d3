/*
 * bcryptprimitives.dll for Wine prefixes that lack it.
 *
 * Since Go 1.24 the Windows runtime draws its random numbers from
 * ProcessPrng in bcryptprimitives.dll and refuses to start without it.
 * Debian's Wine 8 does not ship that DLL, so the test harness builds this
 * file with x86_64-w64-mingw32-gcc and installs the result in the
 * system32 directory of its private Wine prefix.
 *
 * ProcessPrng is implemented on top of RtlGenRandom, exported by advapi32
 * as SystemFunction036, which Wine has provided for a long time. The DLL
 * is linked without the C runtime: it imports advapi32 and nothing else.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

/* RtlGenRandom takes a ULONG length; larger requests go in pieces. */
#define MAX_CHUNK 0x10000000UL

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
	(void)instance;
	(void)reason;
	(void)reserved;
	return TRUE;
}

/*
 * ProcessPrng fills data with length random bytes. Windows documents it as
 * never failing; this version reports FALSE if RtlGenRandom does, which
 * the Go runtime treats as fatal rather than running with bad randomness.
 */
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
	while (length > 0) {
		ULONG chunk = length > MAX_CHUNK ? MAX_CHUNK : (ULONG)length;
		if (!SystemFunction036(data, chunk))
			return FALSE;
		data += chunk;
		length -= chunk;
	}
	return TRUE;
}
