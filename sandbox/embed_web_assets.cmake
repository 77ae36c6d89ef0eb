# Writes OUTPUT: a C++ file defining herald::sandbox::WebAssets() from INPUTS
# (file paths separated by "|"), each file's bytes as a raw string literal (cmake -P script, run at build time).
set(body "// Generated from sandbox/web by embed_web_assets.cmake; do not edit.\n")
string(APPEND body "#include \"sandbox/web_assets.h\"\n\nnamespace herald::sandbox {\n")
string(APPEND body "const std::vector<WebAsset>& WebAssets() {\n  static const std::vector<WebAsset> assets = {\n")
string(REPLACE "|" ";" inputs "${INPUTS}")
foreach(input IN LISTS inputs)
  get_filename_component(name ${input} NAME)
  file(READ ${input} content)
  string(APPEND body "    {\"/${name}\", R\"herald_asset(${content})herald_asset\"},\n")
endforeach()
string(APPEND body "  };\n  return assets;\n}\n\n}  // namespace herald::sandbox\n")
file(WRITE ${OUTPUT} "${body}")
