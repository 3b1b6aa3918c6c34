#include "kubectl.hpp"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include <fmt/format.h>

#include "rollsim/error.hpp"

extern char** environ;

namespace rollsim::cli {

namespace {

/// The first line of kubectl's complaint, without its "error: " prefix.
std::string first_line(const std::string& err) {
    std::string line = err.substr(0, err.find('\n'));
    if (line.rfind("error: ", 0) == 0) line = line.substr(7);
    return line.empty() ? "(no message)" : line;
}

}  // namespace

std::string kubectl(const KubectlTarget& target, const std::vector<std::string>& args, int timeout_seconds) {
    std::vector<std::string> argv = {"kubectl"};
    if (!target.kubeconfig.empty()) argv.push_back("--kubeconfig=" + target.kubeconfig);
    if (!target.context.empty()) argv.push_back("--context=" + target.context);
    argv.insert(argv.end(), args.begin(), args.end());
    std::string call;
    for (std::size_t i = 0; i < argv.size(); ++i) call += (i == 0 ? "" : " ") + argv[i];
    const auto fail = [&](const std::string& why) { return InputError(call, 0, "", why); };

    int out[2], err[2];
    if (pipe(out) != 0 || pipe(err) != 0) throw fail(std::string("cannot make a pipe: ") + std::strerror(errno));
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], STDOUT_FILENO);
    posix_spawn_file_actions_adddup2(&actions, err[1], STDERR_FILENO);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    posix_spawn_file_actions_addclose(&actions, err[0]);
    std::vector<char*> cargs;
    for (auto& a : argv) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    pid_t pid = 0;
    const int spawned = posix_spawnp(&pid, "kubectl", &actions, nullptr, cargs.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(out[1]);
    close(err[1]);
    if (spawned != 0) {
        close(out[0]);
        close(err[0]);
        throw fail(spawned == ENOENT ? "kubectl is not on PATH: install it, or read the cluster into files and give "
                                       "them to the file-based commands"
                                     : std::string("cannot run kubectl: ") + std::strerror(spawned));
    }
    // Read both pipes until kubectl closes them, or until the time is up.
    std::string stdout_text, stderr_text;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
    pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
    bool timed_out = false;
    char buf[65536];
    while (fds[0].fd >= 0 || fds[1].fd >= 0) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
            timed_out = true;
            break;
        }
        const int ready = poll(fds, 2, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready < 0) break;
        for (int i = 0; i < 2; ++i) {
            if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0) continue;
            const ssize_t n = read(fds[i].fd, buf, sizeof buf);
            if (n > 0) {
                (i == 0 ? stdout_text : stderr_text).append(buf, static_cast<std::size_t>(n));
            } else {
                close(fds[i].fd);
                fds[i].fd = -1;
            }
        }
    }
    for (auto& f : fds) {
        if (f.fd >= 0) close(f.fd);
    }
    if (timed_out) kill(pid, SIGKILL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (timed_out) throw fail(fmt::format("kubectl did not answer within {} s: is the cluster reachable?", timeout_seconds));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        throw fail(fmt::format("kubectl failed (exit {}): {}", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                               first_line(stderr_text)));
    }
    return stdout_text;
}

}  // namespace rollsim::cli
