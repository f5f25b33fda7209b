// A driver for the fuzz targets without libFuzzer, so that the plain build (gcc, no sanitizers)
// runs them in CI: every input of the corpus once, then random byte mutations of them until the
// time is up. It has no coverage feedback and no sanitizers -- scripts/fuzz.sh runs the real
// campaign -- but any crash, abort (a target's own check, an exception other than webdnn::Error)
// or input running past the timeout fails the run, and the input that did it is written out.
//   fuzz_replay_TARGET [-max_total_time=S] [-timeout=S] [-seed=N] [-artifact_prefix=P] DIR|FILE...
// (a crash's input lands in Pcrash-input; run the same command on that file to reproduce it).
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <fcntl.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);

namespace {

// The input under test, for the signal handler to write out.
std::string current;
std::string artifact = "crash-input";

void write_current_and_die(int sig) {
  // Only async-signal-safe calls here.
  int fd = open(artifact.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd >= 0) {
    ssize_t ignored = write(fd, current.data(), current.size());
    (void)ignored;
    close(fd);
  }
  const char* what = sig == SIGALRM ? "fuzz replay: an input ran past the timeout; written to " : "fuzz replay: an input crashed; written to ";
  ssize_t ignored = write(2, what, strlen(what));
  ignored = write(2, artifact.c_str(), artifact.size());
  ignored = write(2, "\n", 1);
  (void)ignored;
  signal(sig, SIG_DFL);
  raise(sig == SIGALRM ? SIGKILL : sig);
}

std::string mutate(const std::string& in, const std::vector<std::string>& corpus, std::mt19937& rng) {
  std::string b = in;
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  static const int kEdits[] = {1, 1, 2, 4, 16};
  for (int e = kEdits[pick(5)]; e > 0; e--) {
    size_t at = pick(b.size() + 1);
    switch (pick(6)) {
      case 0: if (at < b.size()) b[at] = static_cast<char>(pick(256)); break;           // overwrite
      case 1: if (at < b.size()) b[at] ^= static_cast<char>(1 << pick(8)); break;       // flip a bit
      case 2: b.insert(at, 1, static_cast<char>(pick(256))); break;                      // insert
      case 3: b.erase(at, 1 + pick(64)); break;                                          // delete a run
      case 4: if (at < b.size() && pick(8) == 0) b.resize(at); break;                    // truncate
      default: {                                                                          // splice
        const std::string& other = corpus[pick(corpus.size())];
        if (other.empty()) break;
        size_t from = pick(other.size()), n = 1 + pick(std::min<size_t>(other.size() - from, 256));
        b.replace(std::min(at, b.size()), n, other, from, n);
      }
    }
  }
  return b;
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 10, timeout = 25;
  // A new seed each run, as libFuzzer does, so that every CI run tries other mutations; printed,
  // so that a run can be repeated with -seed=N.
  unsigned seed = std::random_device{}();
  std::vector<std::string> corpus;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto value = [&](const char* flag) { return a.rfind(flag, 0) == 0 ? a.c_str() + strlen(flag) : nullptr; };
    if (const char* v = value("-max_total_time=")) seconds = std::atof(v);
    else if (const char* v = value("-timeout=")) timeout = std::atof(v);
    else if (const char* v = value("-seed=")) seed = static_cast<unsigned>(std::atol(v));
    else if (const char* v = value("-artifact_prefix=")) artifact = std::string(v) + "crash-input";
    else if (a.rfind("-", 0) == 0) {
      std::fprintf(stderr, "fuzz replay: unknown option %s\n", a.c_str());
      return 2;
    } else {
      std::vector<std::filesystem::path> files;
      if (std::filesystem::is_directory(a)) {
        for (const auto& f : std::filesystem::directory_iterator(a))
          if (f.is_regular_file()) files.push_back(f.path());
      } else {
        files.push_back(a);
      }
      for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
    }
  }
  if (corpus.empty()) {
    std::fprintf(stderr, "fuzz replay: no inputs (give a corpus directory or files)\n");
    return 2;
  }
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  for (int sig : {SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGALRM}) signal(sig, write_current_and_die);

  auto run = [&](const std::string& input) {
    current = input;
    alarm(static_cast<unsigned>(timeout + 0.999));
    LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t*>(current.data()), current.size());
    alarm(0);
  };
  const auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  for (const std::string& input : corpus) run(input);
  size_t executions = corpus.size();
  std::printf("fuzz replay: %zu corpus inputs ran; mutating them with -seed=%u\n", corpus.size(), seed);
  std::fflush(stdout);
  std::mt19937 rng(seed);
  while (elapsed() < seconds) {
    run(mutate(corpus[std::uniform_int_distribution<size_t>(0, corpus.size() - 1)(rng)], corpus, rng));
    executions++;
  }
  std::printf("fuzz replay: %zu executions (%zu corpus inputs, then mutations; -seed=%u) in %.1f s, nothing found\n",
              executions, corpus.size(), seed, elapsed());
  return 0;
}
