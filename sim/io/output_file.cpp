// Writing an output file whole or not at all: a temporary name in the same directory, then a
// rename (atomic on POSIX file systems).

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "rollsim/error.hpp"
#include "rollsim/io.hpp"

namespace rollsim {

void write_file_atomic(const std::string& path, const std::string& content) {
    namespace fs = std::filesystem;
    const fs::path target(path);
    const fs::path dir = target.has_parent_path() ? target.parent_path() : fs::path(".");
    std::string tmp = (dir / fmt::format(".{}.rollsim-XXXXXX", target.filename().string())).string();
    const int fd = mkstemp(tmp.data());
    if (fd < 0) throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(errno)));
    std::size_t written = 0;
    while (written < content.size()) {
        const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
        if (n < 0) {
            if (errno == EINTR) continue;
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(err)));
        }
        written += static_cast<std::size_t>(n);
    }
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0 || ::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(err)));
    }
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw OutputError(fmt::format("{}: cannot write: {}", path, std::strerror(err)));
    }
}

}  // namespace rollsim
