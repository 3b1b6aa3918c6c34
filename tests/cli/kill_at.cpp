// An LD_PRELOAD shim for tests/cli/interrupt_test.sh: with ROLLSIM_KILL_AT=CALL:N in the
// environment, the Nth call of CALL (fsync or rename) raises SIGTERM right after it returns, so
// that a test interrupts rollsim at an exact point of writing its outputs: inside the staging of
// one file (fsync), or inside the batch of renames (rename).

#include <dlfcn.h>
#include <signal.h>

#include <cstdlib>
#include <cstring>

namespace {

bool due(const char* call) {
    static int calls = 0;
    const char* at = std::getenv("ROLLSIM_KILL_AT");
    const std::size_t n = std::strlen(call);
    if (at == nullptr || std::strncmp(at, call, n) != 0 || at[n] != ':') return false;
    return ++calls == std::atoi(at + n + 1);
}

template <typename F>
F real(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

}  // namespace

extern "C" int fsync(int fd) {
    const int r = real<int (*)(int)>("fsync")(fd);
    if (due("fsync")) raise(SIGTERM);
    return r;
}

extern "C" int rename(const char* from, const char* to) noexcept {
    const int r = real<int (*)(const char*, const char*)>("rename")(from, to);
    if (due("rename")) raise(SIGTERM);
    return r;
}
