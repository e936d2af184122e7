"""Strings of the system of record: faults of the database, sign-in and roles, the audit
trail, backup and restore.

Keys: ``area.key``; each entry ``{"zh": ..., "en": ...}``, Chinese first.
"""

STRINGS: dict[str, dict[str, str]] = {
    # faults of the database file and its disk: what happened, then what to do
    "fault.title": {"zh": "数据库暂时无法使用", "en": "The database cannot be used right now"},
    "fault.error_id": {"zh": "错误编号 {id}（服务器日志中有详细记录）",
                       "en": "Error id {id} (the server log holds the details)"},
    "fault.locked": {"zh": "数据库文件 {path} 正被另一个程序占用。", "en": "The database file {path} is in use by another program."},
    "fault.locked.todo": {"zh": "请关闭另一个仪表盘或命令行导入，然后刷新本页。",
                          "en": "Close the other dashboard or command-line import, then reload this page."},
    "fault.corrupt": {"zh": "数据库文件 {path} 已损坏（校验失败或不是 DuckDB 数据库）。",
                      "en": "The database file {path} is damaged (a checksum failed, or it is not a DuckDB database)."},
    "fault.corrupt.todo": {
        "zh": "请停止服务器，保留损坏的文件以备检查，用最近的备份恢复："
              "python -m csi_core restore 备份.zip --db 新文件.duckdb，再让 CSI_DB 指向新文件后重启。",
        "en": "Stop the server, keep the damaged file for inspection and restore the latest backup: "
              "python -m csi_core restore BACKUP.zip --db NEW.duckdb, then point CSI_DB at the new file and restart."},
    "fault.read_only": {"zh": "数据库文件 {path} 所在的磁盘是只读的，修改无法保存。",
                        "en": "The disk holding the database file {path} is read-only: changes cannot be saved."},
    "fault.read_only.todo": {"zh": "请管理员把该磁盘重新挂载为可写（或把文件移到可写的位置），然后重试。之前保存的数据没有变化。",
                             "en": "Ask the administrator to make the disk writable again (or move the file to one that "
                                   "is), then try again. What was saved before is unchanged."},
    "fault.disk_full": {"zh": "数据库文件 {path} 所在的磁盘已满，修改无法保存。",
                        "en": "The disk holding the database file {path} is full: changes cannot be saved."},
    "fault.disk_full.todo": {"zh": "请腾出磁盘空间后重试。本次修改没有保存，之前保存的数据没有变化。",
                             "en": "Free some disk space, then try again. This change was not saved; what was saved "
                                   "before is unchanged."},
    "fault.no_access": {"zh": "服务器没有读写数据库文件 {path} 的权限。",
                        "en": "The server may not read or write the database file {path}."},
    "fault.no_access.todo": {"zh": "请管理员检查该文件及其目录的权限，然后刷新本页。",
                             "en": "Ask the administrator to check the permissions of the file and its folder, then "
                                   "reload this page."},
    "fault.newer": {"zh": "数据库文件 {path} 由更新版本的程序写入。", "en": "The database file {path} was written by a newer version of this program."},
    "fault.newer.todo": {"zh": "请升级本程序后再打开它。", "en": "Upgrade this program before opening it."},
    "fault.missing": {"zh": "找不到数据库文件 {path} 或其目录。", "en": "The database file {path} or its folder does not exist."},
    "fault.missing.todo": {"zh": "请检查 CSI_DB 设置的路径。", "en": "Check the path set in CSI_DB."},
    "fault.other": {"zh": "读写数据库文件 {path} 时出错。", "en": "Reading or writing the database file {path} failed."},
    "fault.other.todo": {"zh": "请把错误编号告诉管理员；服务器日志中有完整记录。",
                         "en": "Tell the administrator the error id; the server log holds the full record."},

    # roles and what they allow
    "role.viewer": {"zh": "查看者", "en": "viewer"},
    "role.editor": {"zh": "编辑者", "en": "editor"},
    "role.admin": {"zh": "管理员", "en": "admin"},
    "permission.read": {"zh": "查看数据", "en": "read the data"},
    "permission.whatif": {"zh": "模拟权重", "en": "try weights"},
    "permission.download": {"zh": "下载", "en": "download"},
    "permission.upload": {"zh": "上传和导入", "en": "upload and import"},
    "permission.replace": {"zh": "替换已有期间", "en": "replace a stored period"},
    "permission.restore_period": {"zh": "恢复被替换的期间", "en": "bring back a replaced period"},
    "permission.actions": {"zh": "编辑纠正措施", "en": "edit corrective actions"},
    "permission.scenarios": {"zh": "保存或删除方案", "en": "save or delete scenarios"},
    "permission.users": {"zh": "管理用户", "en": "manage users"},
    "permission.weights": {"zh": "设定公司默认权重", "en": "set the company weights"},
    "permission.settings": {"zh": "修改设置", "en": "change settings"},
    "permission.backup": {"zh": "备份数据库", "en": "back up the database"},
    "permission.restore": {"zh": "恢复备份", "en": "restore a backup"},
    "permission.audit": {"zh": "查看审计记录", "en": "read the audit trail"},
    "auth.denied": {"zh": "{name}（{role}）无权{action}；没有做任何修改。",
                    "en": "{name} ({role}) may not {action}; nothing was changed."},
    # the command line
    "cli.user_name": {"zh": "用户名“{name}”不可用：不能为空，不能含换行或制表符", "en": "the user name \"{name}\" cannot be used: empty, or holds a tab or line break"},
    "cli.user_role": {"zh": "未知角色 {role}：可用 viewer、editor、admin", "en": "unknown role {role}: use viewer, editor or admin"},
    "cli.user_password": {"zh": "密码至少需要 {n} 个字符；没有做任何修改", "en": "the password needs at least {n} characters; nothing changed"},
    "cli.user_last_admin": {"zh": "{name} 是最后一个管理员，还有其他用户时不能删除或降级", "en": "{name} is the last admin: while other users exist it cannot be removed or given another role"},
    "cli.restore_exists": {"zh": "{db} 已存在：请指定一个新文件，或加 --overwrite 覆盖", "en": "{db} exists: name a new file, or add --overwrite to replace it"},
    "cli.backup_not_ours": {"zh": "{file} 不是本程序的备份文件（{detail}）", "en": "{file} is not a backup of this program ({detail})"},
    "cli.backup_newer": {"zh": "{file} 由更新版本的程序写入，请先升级", "en": "{file} was written by a newer version of this program: upgrade first"},
    "cli.backup_damaged": {"zh": "{file} 已损坏（{detail} 校验不符），没有写入任何内容", "en": "{file} is damaged ({detail} does not match its checksum); nothing was written"},
}
