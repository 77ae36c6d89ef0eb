# herald_add_connector(name sources...): a loadable herald connector plugin.
#
# A MODULE library (loaded with dlopen, never linked against) named exactly
# `name`.so, without a "lib" prefix; hidden visibility so that only the two
# symbols HERALD_PLUGIN() marks are exported; and -Wl,--no-undefined so that a
# missing symbol fails the link rather than the load. Where the file lands is
# the caller's choice (LIBRARY_OUTPUT_DIRECTORY, install(TARGETS ...)).
function(herald_add_connector name)
  if(NOT ARGN)
    message(FATAL_ERROR "herald_add_connector(${name}): no source files given")
  endif()
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE HeraldSDK::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT APPLE)
    target_link_options(${name} PRIVATE "LINKER:--no-undefined")
  endif()
endfunction()
