# EvsGitVersion.cmake -- run at build time (cmake -P) by the evs_git_version
# target: writes OUT, a header with EVS_GIT_DESCRIBE, the output of
# `git describe --always --dirty` in SRC, or "" when there is no git or no
# checkout (a source tarball).  The file is rewritten only when the text
# changes, so only what includes it is recompiled.
#   cmake -DSRC=<source dir> -DOUT=<header> -P EvsGitVersion.cmake
set(desc "")
find_program(GIT_EXECUTABLE git)
if(GIT_EXECUTABLE)
  execute_process(COMMAND "${GIT_EXECUTABLE}" describe --always --dirty
                  WORKING_DIRECTORY "${SRC}"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_QUIET
                  OUTPUT_STRIP_TRAILING_WHITESPACE)
  if(rc EQUAL 0 AND out MATCHES "^[A-Za-z0-9._+-]+$")
    set(desc "${out}")
  endif()
endif()
set(text "/* written by cmake/EvsGitVersion.cmake at build time */\n#define EVS_GIT_DESCRIBE \"${desc}\"\n")
set(old "")
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
endif()
if(NOT old STREQUAL text)
  file(WRITE "${OUT}" "${text}")
endif()
