// Fuzz target: the media probe (calendar/media_probe.h) on any bytes: the
// image signatures, stb_image's header readers, the JPEG end-of-image scan,
// and libavformat/libavcodec's probing of the containers herald names. The
// input is the file's content, handed over as an open descriptor exactly as
// the daemon hands over a file it opened confined.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "calendar/media_probe.h"

using namespace herald::calendar;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const int fd = memfd_create("herald-fuzz-media", MFD_CLOEXEC);
  if (fd < 0 || ftruncate(fd, 0) != 0) std::abort();
  std::size_t written = 0;
  while (written < size) {
    const ssize_t n = pwrite(fd, data + written, size - written, static_cast<off_t>(written));
    if (n <= 0) std::abort();
    written += static_cast<std::size_t>(n);
  }
  herald::FileIdentity identity;
  identity.size = static_cast<std::int64_t>(size);
  (void)ProbeOpenedMedia(fd, identity, "fuzz/input");
  return 0;
}
