# Project-wide compiler settings: warnings for our own targets, sanitizers for all.

# UBSan's vptr check is off: it reports objects of cpprestsdk's stream buffers,
# instantiated both in libcpprest.so and in our code, as of the wrong type
# (their type_info differs across the library boundary). Every other UBSan check
# stays on and aborts.
if(HERALD_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize=vptr -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
endif()

# HERALD_FUZZ (Clang; scripts/setup --fuzz): every object is instrumented for
# libFuzzer's coverage and checked by ASan and UBSan; the fuzz targets
# (tests/fuzz/) link libFuzzer's main. Without it the same targets are built
# against tests/fuzz/replay_main.cc and replay their corpora as ordinary tests.
if(HERALD_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HERALD_FUZZ needs Clang (scripts/setup --fuzz uses clang-16)")
  endif()
  if(HERALD_SANITIZE OR HERALD_TSAN)
    message(FATAL_ERROR "HERALD_FUZZ brings its own sanitizers: leave HERALD_SANITIZE and HERALD_TSAN off")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize=vptr
                      -fno-omit-frame-pointer -fno-sanitize-recover=undefined $<$<CONFIG:Debug>:-O1>)
  add_link_options(-fsanitize=address,undefined -fno-sanitize=vptr)
endif()

# HERALD_TSAN (Clang; scripts/setup --tsan): ThreadSanitizer, for the
# concurrency-heavy unit tests (the herald_tsan_tests target).
if(HERALD_TSAN)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "HERALD_TSAN needs Clang (scripts/setup --tsan uses clang-16)")
  endif()
  if(HERALD_SANITIZE)
    message(FATAL_ERROR "ThreadSanitizer cannot be combined with HERALD_SANITIZE (ASan)")
  endif()
  add_compile_options(-fsanitize=thread -fno-omit-frame-pointer $<$<CONFIG:Debug>:-O1>)
  add_link_options(-fsanitize=thread)
endif()

# herald_warnings(target): the warning set every herald target builds clean with.
# -Wno-restrict: GCC 12 reports std::string's own memcpy in optimized builds
# (GCC bug 105329); the check stays on for every other compiler.
# HERALD_WERROR makes them errors; HERALD_THREAD_SAFETY adds Clang's analysis
# of common/mutex.h's annotations.
function(herald_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
                                           -Wcast-align)
  if(HERALD_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(HERALD_THREAD_SAFETY)
    if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      message(FATAL_ERROR "HERALD_THREAD_SAFETY needs Clang (CXX=clang++)")
    endif()
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wthread-safety>)
  endif()
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE $<$<COMPILE_LANGUAGE:CXX>:-Wno-restrict>)
  endif()
endfunction()

# herald_add_test(name SOURCES files... LIBS libs...): one Catch2 test program,
# its cases registered with CTest one by one. Unit tests live in tests/unit/,
# named after the module they test (plugin_loader.cc -> plugin_loader_test.cc).
function(herald_add_test name)
  if(NOT HERALD_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(T "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  herald_warnings(${name})
  target_link_libraries(${name} PRIVATE herald_test_main ${T_LIBS})
  target_compile_definitions(${name} PRIVATE
    HERALD_SOURCE_DIR="${PROJECT_SOURCE_DIR}" HERALD_BINARY_DIR="${PROJECT_BINARY_DIR}")
  catch_discover_tests(${name} TEST_PREFIX "${name}:" PROPERTIES TIMEOUT 120)
endfunction()
