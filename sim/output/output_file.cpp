// Writing output files whole or not at all: each to a temporary name in its directory, then a
// rename (atomic on POSIX file systems); several files are renamed together with SIGINT and
// SIGTERM held, and an interrupt before that removes the temporary files and exits 128 + signal.
// A path that leads to something that is not a regular file is never replaced: a symlink is
// followed to the file it names, a character device or FIFO (/dev/null, /dev/stdout, a named
// pipe) is written in place once the batch's files are in place, and anything else (a socket, a
// block device) is refused before the first byte is written.

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include <csignal>
#include <string>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

namespace {

// Temporary files being written, for the signal handler to remove. Fixed storage, so the handler
// touches no allocator: a slot is claimed by setting its flag after its path is stored.
constexpr std::size_t kSlots = 32;
constexpr std::size_t kPathMax = 4096;
char g_tmp_path[kSlots][kPathMax];
volatile std::sig_atomic_t g_tmp_used[kSlots];

int claim(const std::string& tmp) {
    if (tmp.size() >= kPathMax) return -1;
    for (std::size_t i = 0; i < kSlots; ++i) {
        if (g_tmp_used[i] != 0) continue;
        std::memcpy(g_tmp_path[i], tmp.c_str(), tmp.size() + 1);
        g_tmp_used[i] = 1;
        return static_cast<int>(i);
    }
    return -1;  // more at once than slots: that file is still removed on errors, not on signals
}

void release(int slot) {
    if (slot >= 0) g_tmp_used[slot] = 0;
}

extern "C" void on_interrupt(int sig) {
    for (std::size_t i = 0; i < kSlots; ++i) {
        if (g_tmp_used[i] != 0) ::unlink(g_tmp_path[i]);
    }
    ::_exit(128 + sig);
}

/// SIGINT and SIGTERM held back while a batch of renames runs, so that it completes whole.
class HoldInterrupts {
public:
    HoldInterrupts() {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGINT);
        sigaddset(&s, SIGTERM);
        pthread_sigmask(SIG_BLOCK, &s, &old_);
    }
    ~HoldInterrupts() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
    HoldInterrupts(const HoldInterrupts&) = delete;
    HoldInterrupts& operator=(const HoldInterrupts&) = delete;

private:
    sigset_t old_;
};

struct Staged {
    std::string path;  ///< as the user gave it, for messages
    std::string real;  ///< what is renamed over, or written in place when `direct`
    std::string tmp;
    int slot = -1;
    bool direct = false;
};

/// Where an output path leads.
struct Target {
    std::string real;     ///< the file a rename replaces (symlinks followed), or the device
    bool direct = false;  ///< a character device or FIFO: written in place, never renamed over
};

/// The path a chain of symlinks ends at, whether or not that exists (40 links at most, as
/// Linux's path resolution allows).
std::string follow_links(const std::string& path) {
    namespace fs = std::filesystem;
    fs::path p(path);
    for (int hops = 0; hops < 40; ++hops) {
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(p, ec))) return p.string();
        const fs::path to = fs::read_symlink(p, ec);
        if (ec) return p.string();
        p = to.is_absolute() ? to : p.parent_path() / to;
    }
    throw OutputError(fmt::format("{}: too many levels of symbolic links", path));
}

Target resolve_target(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) {
        if (errno != ENOENT) throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
        return Target{follow_links(path), false};  // nothing there yet, or a dangling link
    }
    if (S_ISREG(st.st_mode)) {
        char* real = ::realpath(path.c_str(), nullptr);
        if (real == nullptr) throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
        std::string out(real);
        std::free(real);
        return Target{out, false};
    }
    if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)) return Target{path, true};
    // The one way a rename in the same directory fails once its temporary file is written: so
    // it is refused before the first rename of a batch.
    if (S_ISDIR(st.st_mode)) throw OutputError(fmt::format("{}: is a directory", path));
    const char* what = S_ISSOCK(st.st_mode) ? "a socket" : S_ISBLK(st.st_mode) ? "a block device" : "not a regular file";
    throw OutputError(fmt::format("{}: is {}; rollsim writes regular files, character devices (/dev/null, "
                                  "/dev/stdout) and FIFOs only",
                                  path, what));
}

void discard(std::vector<Staged>& staged) {
    for (Staged& s : staged) {
        ::unlink(s.tmp.c_str());
        release(s.slot);
    }
    staged.clear();
}

/// A new, empty temporary file beside what `path` leads to (in the temporary directory for a
/// device or FIFO), registered for removal on an interrupt; `fd` is open on it.
Staged open_staged(const std::string& path, int& fd) {
    namespace fs = std::filesystem;
    // `-` is stdout, written in place like a device (never a path: a redirect's file stays the
    // shell's).
    const Target to = path == "-" ? Target{"-", true} : resolve_target(path);
    const fs::path target(to.real);
    std::error_code ec;
    const fs::path dir = to.direct                ? fs::temp_directory_path(ec)
                         : target.has_parent_path() ? target.parent_path()
                                                    : fs::path(".");
    Staged st;
    st.path = path;
    st.real = to.real;
    st.direct = to.direct;
    st.tmp = (dir / fmt::format(".{}.rollsim-XXXXXX", path == "-" ? std::string("stdout") : target.filename().string())).string();
    fd = mkstemp(st.tmp.data());
    if (fd < 0) throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    st.slot = claim(st.tmp);
    return st;
}

[[noreturn]] void fail_staged(const Staged& st, int err) {
    ::unlink(st.tmp.c_str());
    release(st.slot);
    throw OutputError(fmt::format("{}: cannot write: {}", st.path, std::strerror(err)));
}

/// Makes the file readable, puts it on disk, and closes `fd`, which is closed either way.
void finish_staged(const Staged& st, int fd) {
    const bool synced = ::fchmod(fd, 0644) == 0 && ::fsync(fd) == 0;
    const int err = errno;
    if (::close(fd) != 0 && synced) fail_staged(st, errno);
    if (!synced) fail_staged(st, err);
}

/// Writes `content` to a new temporary file beside `path`; returns it, registered.
Staged stage(const std::string& path, const std::string& content) {
    int fd = -1;
    Staged st = open_staged(path, fd);
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            fail_staged(st, err);
        }
        written += static_cast<std::size_t>(n);
    }
    finish_staged(st, fd);
    return st;
}

/// Copies the staged file into the device or FIFO it is for, then removes it.
void write_in_place(Staged& st) {
    const int in = ::open(st.tmp.c_str(), O_RDONLY | O_CLOEXEC);
    if (st.real == "-") std::cout.flush();  // what the command printed comes first
    const int out = in < 0                ? -1
                    : st.real == "-"      ? ::dup(STDOUT_FILENO)
                                          : ::open(st.real.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC);
    int err = in < 0 || out < 0 ? errno : 0;
    char buf[1 << 16];
    while (err == 0) {
        const ssize_t n = ::read(in, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            err = n < 0 ? errno : 0;
            break;
        }
        for (ssize_t done = 0; done < n && err == 0;) {
            const ssize_t w = ::write(out, buf + done, static_cast<std::size_t>(n - done));
            if (w < 0 && errno != EINTR) err = errno;
            done += w > 0 ? w : 0;
        }
    }
    if (out >= 0 && ::close(out) != 0 && err == 0 && errno != EINTR) err = errno;
    if (in >= 0) ::close(in);
    ::unlink(st.tmp.c_str());
    release(st.slot);
    if (err != 0) throw OutputError(fmt::format("{}: cannot write: {}", st.path, std::strerror(err)));
}

}  // namespace

void install_interrupt_cleanup() {
    struct sigaction sa {};
    sa.sa_handler = on_interrupt;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT);
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

struct StagedFile::Impl {
    Staged staged;
    int fd = -1;
    std::ofstream out;
    bool handed_over = false;  ///< to write_files_atomic, which renames or removes it
};

StagedFile::StagedFile(const std::string& path) : impl_(std::make_unique<Impl>()) {
    impl_->staged = open_staged(path, impl_->fd);
    impl_->out.open(impl_->staged.tmp, std::ios::binary | std::ios::trunc);
    if (!impl_->out) {
        const int err = errno;
        ::close(impl_->fd);
        fail_staged(impl_->staged, err);
    }
}

StagedFile::~StagedFile() {
    if (impl_->handed_over) return;
    impl_->out.close();
    ::close(impl_->fd);
    ::unlink(impl_->staged.tmp.c_str());
    release(impl_->staged.slot);
}

std::ostream& StagedFile::stream() { return impl_->out; }

void write_files_atomic(const std::vector<std::pair<std::string, std::string>>& files,
                        const std::vector<StagedFile*>& streamed) {
    // stdout takes one output.
    std::size_t to_stdout = 0;
    for (const auto& [path, content] : files) to_stdout += path == "-" ? 1 : 0;
    for (StagedFile* f : streamed) to_stdout += f->impl_->staged.path == "-" ? 1 : 0;
    // (A streamed file not handed over is removed by its destructor.)
    if (to_stdout > 1) throw OutputError(fmt::format("- (stdout) is named for {} outputs: it can take one", to_stdout));
    std::vector<Staged> staged;
    try {
        for (StagedFile* f : streamed) {
            StagedFile::Impl& s = *f->impl_;
            s.out.flush();
            const bool written = static_cast<bool>(s.out);
            const int err = errno;
            s.out.close();
            s.handed_over = true;
            if (!written) {
                ::close(s.fd);
                fail_staged(s.staged, err != 0 ? err : EIO);
            }
            finish_staged(s.staged, s.fd);
            staged.push_back(s.staged);
        }
        for (const auto& [path, content] : files) staged.push_back(stage(path, content));
    } catch (...) {
        discard(staged);
        throw;
    }
    // Every file is complete under its temporary name: rename them all with SIGINT and SIGTERM
    // held, so that an interrupt leaves either none or all of them in place. Devices and FIFOs
    // come after, with interrupts allowed: a FIFO blocks until someone reads it.
    std::stable_partition(staged.begin(), staged.end(), [](const Staged& st) { return !st.direct; });
    std::size_t i = 0;
    {
        HoldInterrupts hold;
        for (; i < staged.size() && !staged[i].direct; ++i) {
            if (std::rename(staged[i].tmp.c_str(), staged[i].real.c_str()) != 0) {
                const int err = errno;
                const std::string path = staged[i].path;
                staged.erase(staged.begin(), staged.begin() + static_cast<std::ptrdiff_t>(i));
                discard(staged);
                throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(err)));
            }
            release(staged[i].slot);
        }
    }
    for (; i < staged.size(); ++i) {
        try {
            write_in_place(staged[i]);
        } catch (...) {
            staged.erase(staged.begin(), staged.begin() + static_cast<std::ptrdiff_t>(i + 1));
            discard(staged);
            throw;
        }
    }
}

void write_file_atomic(const std::string& path, const std::string& content) { write_files_atomic({{path, content}}, {}); }

}  // namespace rollsim
