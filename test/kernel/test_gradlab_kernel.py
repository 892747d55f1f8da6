"""jupyter_kernel_test suite for the gradlab kernel (run by test/kernel/jupyter-kernel-test.test.ts).

Needs the `gradlab` kernelspec on JUPYTER_PATH (the vitest wrapper installs it into a temporary
prefix) and Debian's python3-jupyter-kernel-test: /usr/bin/python3 -m unittest test_gradlab_kernel
"""
import unittest

import jupyter_kernel_test


class GradlabKernelTests(jupyter_kernel_test.KernelTests):
    kernel_name = "gradlab"
    language_name = "typescript"
    file_extension = ".ts"

    code_hello_world = 'console.log("hello, world")'
    code_stderr = 'console.error("some error")'

    completion_samples = [
        {"text": "Number.isSafeI", "matches": {"isSafeInteger"}},
        {"text": "Math.atan", "matches": {"atan", "atan2", "atanh"}},
    ]

    complete_code_samples = ["1 + 1", "let x: number = 3;", "function f() {\n  return 1;\n}", "%who"]
    incomplete_code_samples = ["function f() {", "const a = [1, 2,", "if (x) {\n  console.log(x);"]
    invalid_code_samples = ["let y = )", "const = 5;"]

    code_page_something = "%timeit?"

    code_generate_error = 'throw new Error("this is an error")'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"gradlab".length', "result": "7"},
        {"code": "[1, 2].map((v) => v * 2)", "result": "[ 2, 4 ]"},
    ]
    code_history_pattern = "6 *"
    supported_history_operations = ("tail", "range", "search")

    code_display_data = [
        {"code": 'display.html("<b>bold</b>")', "mime": "text/html"},
        {"code": 'display.svg("<svg xmlns=\'http://www.w3.org/2000/svg\'/>")', "mime": "image/svg+xml"},
        {"code": 'display.markdown("*md*")', "mime": "text/markdown"},
        {"code": 'display({ [Symbol.for("Jupyter.display")]: () => ({ "text/latex": "$x^2$" }) })', "mime": "text/latex"},
    ]

    code_inspect_sample = "Math.max"

    code_clear_output = 'console.log("before"); display.clear()'


if __name__ == "__main__":
    unittest.main()
