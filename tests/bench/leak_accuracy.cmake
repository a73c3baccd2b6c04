# --- leak_accuracy (analysis owner): accuracy benchmark of the leak verdict; prints a table, not a test. ---
add_executable(leak_accuracy ${PROJECT_SOURCE_DIR}/tests/bench/leak_accuracy.cpp)
target_link_libraries(leak_accuracy PRIVATE perfrunner_analysis perfrunner_warnings)
