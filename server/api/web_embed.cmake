# Turn the browser client (client/web/: .html, .css, .js, .svg, in any
# folder below it) into a C table compiled into mockintd (web_assets.h).
# Invoked as: cmake -DWEB_DIR=... -DOUT=... -DGZIP=... -P web_embed.cmake
#
# Each file's bytes as an array; a gzip -9n copy when it is smaller (gzip
# at build time: -n leaves out the name and time, so the same file always
# gives the same bytes); an ETag from its SHA-256. Dotfiles (an editor's
# swap file) and other extensions are left out, as web.c refuses them when
# it serves a directory with --web.
file(GLOB_RECURSE files RELATIVE "${WEB_DIR}" "${WEB_DIR}/*")
list(SORT files)
set(body "/* generated from client/web/ by server/api/web_embed.cmake; do not edit */\n#include \"web_assets.h\"\n\n")
set(rows "")
set(n 0)
# The hex of a file as a C initialiser ("0x3c,0x21,..."); {0} when empty.
function(c_bytes path outvar)
  file(READ "${path}" hex HEX)
  if(hex STREQUAL "")
    set(${outvar} "0" PARENT_SCOPE)
    return()
  endif()
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," hex "${hex}")
  set(${outvar} "${hex}" PARENT_SCOPE)
endfunction()
foreach(rel ${files})
  if(rel MATCHES "(^|/)\\.")
    continue()
  elseif(rel MATCHES "\\.html$")
    set(type "text/html; charset=utf-8")
  elseif(rel MATCHES "\\.css$")
    set(type "text/css; charset=utf-8")
  elseif(rel MATCHES "\\.js$")
    set(type "text/javascript; charset=utf-8")
  elseif(rel MATCHES "\\.svg$")
    set(type "image/svg+xml")
  else()
    continue()
  endif()
  # The path goes into a C string and a URL as it is.
  if(NOT rel MATCHES "^[A-Za-z0-9_/-][A-Za-z0-9._/-]*$")
    message(FATAL_ERROR "client/web: '${rel}' needs a plain name "
      "(letters, digits, '.', '_', '-')")
  endif()
  set(src "${WEB_DIR}/${rel}")
  file(SIZE "${src}" raw_len)
  c_bytes("${src}" raw)
  file(SHA256 "${src}" sha)
  string(SUBSTRING "${sha}" 0 20 tag)
  execute_process(COMMAND "${GZIP}" -9nc "${src}" OUTPUT_FILE "${OUT}.gz"
    RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${src} failed (${rc})")
  endif()
  file(SIZE "${OUT}.gz" gz_len)
  string(APPEND body "static const unsigned char raw_${n}[] = {${raw}};\n")
  set(etag "\"\\\"${tag}\\\"\"")
  if(gz_len LESS raw_len)
    c_bytes("${OUT}.gz" gz)
    string(APPEND body "static const unsigned char gz_${n}[] = {${gz}};\n")
    set(gz_row "gz_${n}, ${gz_len}, ${etag}, \"\\\"${tag}-gz\\\"\"")
  else()
    set(gz_row "NULL, 0, ${etag}, NULL")
  endif()
  string(APPEND rows "\t{ \"/${rel}\", \"${type}\", raw_${n}, ${raw_len}, "
    "${gz_row} },\n")
  math(EXPR n "${n} + 1")
endforeach()
file(REMOVE "${OUT}.gz")
if(n EQUAL 0)
  set(rows "\t{ NULL, NULL, NULL, 0, NULL, 0, NULL, NULL },\n")
endif()
string(APPEND body "\nconst struct web_asset web_assets[] = {\n${rows}};\n"
  "const size_t web_assets_count = ${n};\n")
file(WRITE "${OUT}.tmp" "${body}")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")
file(REMOVE "${OUT}.tmp")
