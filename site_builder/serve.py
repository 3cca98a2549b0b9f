"""``build.py serve``: build, serve on 127.0.0.1, rebuild on change, reload the browser.

While content is broken the last good site stays served and the problems are printed.
"""

from __future__ import annotations

from .pipeline import Log, Options, build
from .problems import ContentError


def serve(options: Options, host: str, port: int, log: Log) -> None:
    from livereload import Server

    def rebuild() -> None:
        try:
            report = build(options, log)
            log(f"已重新生成（{report.seconds:.2f} 秒）")
        except ContentError as exc:
            for problem in exc.problems:
                log(str(problem))
            log("内容有误，继续显示上一次成功生成的网站")

    rebuild()
    server = Server()
    server.watch(str(options.content_dir), rebuild)
    server.watch(str(options.template_dir), rebuild)
    log(f"预览地址：http://{host}:{port}/  （Ctrl-C 退出）")
    server.serve(host=host, port=port, root=str(options.out_dir), open_url_delay=None)
