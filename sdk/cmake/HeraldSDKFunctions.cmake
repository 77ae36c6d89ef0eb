# herald_add_connector(name sources...): a loadable herald connector plugin.
# A MODULE library with hidden visibility that refuses undefined symbols at link time.
function(herald_add_connector name)
  add_library(${name} MODULE ${ARGN})
  target_link_libraries(${name} PRIVATE HeraldSDK::sdk)
  set_target_properties(${name} PROPERTIES
    PREFIX ""
    C_VISIBILITY_PRESET hidden
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  target_link_options(${name} PRIVATE "LINKER:--no-undefined")
endfunction()
