# Compiler warnings for evsynth's own code (not applied to system headers).
# evs_target_warnings(<target>) adds them to one target.
set(EVS_WARNING_FLAGS
  -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
  -Wformat=2 -Wcast-qual -Wwrite-strings -Wpointer-arith -Wundef
  -Wvla -Wnull-dereference -Wold-style-definition)
# GCC only: clang's -Wdouble-promotion also flags glibc's float NAN and INFINITY.
if(CMAKE_C_COMPILER_ID STREQUAL "GNU")
  list(APPEND EVS_WARNING_FLAGS -Wlogical-op -Wduplicated-cond -Wjump-misses-init
                                -Wdouble-promotion)
endif()

function(evs_target_warnings target)
  target_compile_options(${target} PRIVATE ${EVS_WARNING_FLAGS})
  if(EVS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
