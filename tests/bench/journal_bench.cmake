# journal_bench (journal owner): cost of recording one sample at 1 k and 40 k samples, journal vs the former
# whole-file checkpoints, and the replay of a 40 k-sample journal.
add_executable(journal_bench ${CMAKE_CURRENT_LIST_DIR}/journal_bench.cpp)
target_link_libraries(journal_bench PRIVATE perfrunner_scenarios perfrunner_warnings)
