<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
<context>
    <name>App</name>
    <message>
        <location filename="../../ui/app.py" line="81"/>
        <source>程序出现内部错误，刚才的操作可能没有完成；已保存的登记不受影响。
详细信息已写入日志：{log}
如果反复出现，请把日志文件发给技术支持。</source>
        <translation>An internal error occurred; the last action may not have completed. Sign-ups already saved are not affected.
Details are in the log: {log}
If this keeps happening, send the log file to support.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="82"/>
        <source>（无日志文件）</source>
        <translation>(no log file)</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="83"/>
        <source>内部错误</source>
        <translation>Internal error</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="180"/>
        <source>无法打开数据</source>
        <translation>Cannot open the data</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="187"/>
        <source>已恢复</source>
        <translation>Restored</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="216"/>
        <source>数据库已损坏</source>
        <translation>Database damaged</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="216"/>
        <source>现在从备份恢复吗？恢复前请勿继续登记。</source>
        <translation>Restore from a backup now? Do not sign anyone up until it is restored.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="217"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="217"/>
        <source>稍后再说</source>
        <translation>Later</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="244"/>
        <source>从备份恢复会用所选备份替换当前数据库；当前数据库会被保留。</source>
        <translation>Restoring replaces the current database with the chosen backup; the current database is kept.</translation>
    </message>
</context>
<context>
    <name>AuditDialog</name>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="315"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="319"/>
        <source>序号</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="319"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="319"/>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="319"/>
        <source>操作</source>
        <translation>Action</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="319"/>
        <source>对象</source>
        <translation>Target</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="320"/>
        <source>详情</source>
        <translation>Details</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="325"/>
        <source>每条记录都包含前一条的哈希：改动、删除、插入或调换任何一条都能被校验发现。</source>
        <translation>Every entry holds the hash of the one before: changing, deleting, inserting or reordering any entry is found by the check.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="328"/>
        <source>校验完整性</source>
        <translation>Verify integrity</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="330"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="331"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="349"/>
        <source>设置工作站</source>
        <translation>Station set up</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="349"/>
        <source>登录</source>
        <translation>Log-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="349"/>
        <source>登录失败</source>
        <translation>Failed log-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="350"/>
        <source>锁定中拒绝登录</source>
        <translation>Refused while locked out</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="350"/>
        <source>密钥槽错误</source>
        <translation>Key slot error</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="351"/>
        <source>添加操作员</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="351"/>
        <source>删除操作员</source>
        <translation>Remove operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="352"/>
        <source>修改密码</source>
        <translation>Secret changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="352"/>
        <source>恢复密钥重设密码</source>
        <translation>Reset with recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="353"/>
        <source>恢复密钥错误</source>
        <translation>Wrong recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="353"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="353"/>
        <source>解锁</source>
        <translation>Unlock</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="354"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="354"/>
        <source>导入</source>
        <translation>Import</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="354"/>
        <source>查看完整信息</source>
        <translation>Unmask</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="355"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="355"/>
        <source>修改设置</source>
        <translation>Setting changed</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="355"/>
        <source>清除个人信息</source>
        <translation>Personal data purged</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="356"/>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="356"/>
        <source>加密已有数据</source>
        <translation>Existing data encrypted</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="374"/>
        <source>共 {n} 条，最新的在上面（显示最近 {k} 条）。</source>
        <translation>{n} entries, newest first (showing the latest {k}).</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="380"/>
        <source>正在校验…</source>
        <translation>Verifying…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="396"/>
        <source>……另有 {n} 处</source>
        <translation>…and {n} more</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="397"/>
        <source>日志被改动过：请保留这台电脑的数据，不要再修改，并报告上级工会。</source>
        <translation>The log was tampered with: keep this computer&apos;s data as it is, change nothing, and report it to the union above you.</translation>
    </message>
</context>
<context>
    <name>ColumnMappingDialog</name>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="50"/>
        <source>核对列对应</source>
        <translation>Check the columns</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="54"/>
        <source>文件：{name}</source>
        <translation>File: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="57"/>
        <source>工作表：{sheet}</source>
        <translation>Sheet: {sheet}</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="60"/>
        <source>表头在第 {row} 行</source>
        <translation>Header on row {row}</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="64"/>
        <source>请为每一项选择文件中对应的列。带 * 的为必填项。</source>
        <translation>Choose the file column for each field. Fields marked * are required.</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="66"/>
        <source>未能自动识别：{fields}。</source>
        <translation>Not recognised automatically: {fields}. </translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="66"/>
        <location filename="../../ui/mapping_dialog.py" line="154"/>
        <location filename="../../ui/mapping_dialog.py" line="156"/>
        <source>、</source>
        <translation>, </translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="82"/>
        <source>不导入</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="84"/>
        <source>{col} 列：{header}</source>
        <translation>Column {col}: {header}</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="84"/>
        <source>（无表头）</source>
        <translation>(no header)</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="101"/>
        <source>文件前几行（预览）</source>
        <translation>First rows of the file (preview)</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="105"/>
        <source>按此对应导入</source>
        <translation>Import with these columns</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="108"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="154"/>
        <source>请为必填项选择列：{fields}</source>
        <translation>Choose a column for the required fields: {fields}</translation>
    </message>
    <message>
        <location filename="../../ui/mapping_dialog.py" line="156"/>
        <source>同一列不能对应两项：{fields}</source>
        <translation>One column cannot feed two fields: {fields}</translation>
    </message>
</context>
<context>
    <name>Common</name>
    <message>
        <location filename="../../ui/common.py" line="28"/>
        <source>出现内部错误，操作未完成。详细信息已写入日志：{log}</source>
        <translation>An internal error stopped the operation. Details are in the log: {log}</translation>
    </message>
    <message>
        <location filename="../../ui/common.py" line="28"/>
        <source>（无日志文件）</source>
        <translation>(no log file)</translation>
    </message>
    <message>
        <location filename="../../ui/common.py" line="43"/>
        <source>知道了</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/common.py" line="48"/>
        <source>操作未完成</source>
        <translation>Not completed</translation>
    </message>
</context>
<context>
    <name>ConsentDialog</name>
    <message>
        <location filename="../../ui/consent_dialog.py" line="17"/>
        <source>个人信息处理告知同意书（{version}）</source>
        <translation>Personal information notice and consent ({version})</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="22"/>
        <source>本人已阅读并同意</source>
        <translation>The worker has read it and agrees</translation>
    </message>
    <message>
        <location filename="../../ui/consent_dialog.py" line="24"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>DirectionBar</name>
    <message>
        <location filename="../../ui/door_direction.py" line="32"/>
        <source>入场</source>
        <translation>In</translation>
    </message>
    <message>
        <location filename="../../ui/door_direction.py" line="33"/>
        <source>出场</source>
        <translation>Out</translation>
    </message>
    <message>
        <location filename="../../ui/door_direction.py" line="42"/>
        <source>F8 切换</source>
        <translation>F8 switches</translation>
    </message>
    <message>
        <location filename="../../ui/door_direction.py" line="50"/>
        <source>本门方向</source>
        <translation>This door</translation>
    </message>
    <message>
        <location filename="../../ui/door_direction.py" line="77"/>
        <source>场内 —</source>
        <translation>Inside —</translation>
    </message>
    <message>
        <location filename="../../ui/door_direction.py" line="80"/>
        <source>场内 {n} 人</source>
        <translation>Inside {n}</translation>
    </message>
    <message>
        <location filename="../../ui/door_direction.py" line="81"/>
        <source>本门 入 {a} · 出 {b}</source>
        <translation>This door: in {a} · out {b}</translation>
    </message>
</context>
<context>
    <name>DrawScreen</name>
    <message>
        <location filename="../../ui/draw_screen.py" line="163"/>
        <source>抽奖</source>
        <translation>Prize draw</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="165"/>
        <source>从活动的登记者中公平抽奖：每人每个活动最多中奖一次，每次抽奖都保存参与名单的哈希以便复核。</source>
        <translation>A fair draw among the event&apos;s sign-ups: one win per person per event; every draw keeps a hash of its entry list so it can be re-checked.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="172"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="175"/>
        <source>活动</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="180"/>
        <location filename="../../ui/draw_screen.py" line="246"/>
        <source>奖品</source>
        <translation>Prize</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="180"/>
        <source>剩余</source>
        <translation>Left</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="180"/>
        <source>总数</source>
        <translation>Stock</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="186"/>
        <source>奖品名称，如“电影票”</source>
        <translation>Prize name, e.g. movie ticket</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="191"/>
        <source>数量 </source>
        <translation>Qty </translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="192"/>
        <source>添加奖品</source>
        <translation>Add prize</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="202"/>
        <source>全部登记者</source>
        <translation>All sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="203"/>
        <source>仅在册会员</source>
        <translation>Roster members only</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="204"/>
        <source>仅新会员</source>
        <translation>New members only</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="207"/>
        <source>抽 </source>
        <translation>Draw </translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="208"/>
        <source> 人</source>
        <translation> winner(s)</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="209"/>
        <source>抽奖 (Enter)</source>
        <translation>Draw (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="212"/>
        <source>投影模式 (F11)</source>
        <translation>Projector (F11)</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="224"/>
        <source>奖品与库存</source>
        <translation>Prizes and stock</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="236"/>
        <source>本次中奖</source>
        <translation>Winners of this draw</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="238"/>
        <source>尚未抽奖</source>
        <translation>No draw yet</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="246"/>
        <source>中奖者</source>
        <translation>Winner</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="246"/>
        <source>手机尾号</source>
        <translation>Phone ends</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="246"/>
        <source>类型</source>
        <translation>Type</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="252"/>
        <source>作废原因，如“未到场”</source>
        <translation>Why void, e.g. absent</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="254"/>
        <source>作废后重抽一位</source>
        <translation>Redraw one</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="256"/>
        <source>作废选中的中奖</source>
        <translation>Void selected win</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="265"/>
        <source>本活动中奖名单（已作废的不列出）</source>
        <translation>Winners of this event (voided ones not listed)</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="336"/>
        <source>还没有活动：先按 F2 开启场次，登记后即可抽奖。</source>
        <translation>No events yet: press F2 to open a session; once people sign up you can draw.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="365"/>
        <source>在册会员</source>
        <translation>Roster member</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="365"/>
        <source>新会员</source>
        <translation>New member</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="381"/>
        <source>请先选择活动。</source>
        <translation>Choose an event first.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="393"/>
        <source>已添加奖品“{name}”×{stock}。</source>
        <translation>Added prize &apos;{name}&apos; x{stock}.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="402"/>
        <source>请先选择活动并添加奖品。</source>
        <translation>Choose an event and add a prize first.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="419"/>
        <source>{prize} · 中奖者</source>
        <translation>{prize} · winners</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="421"/>
        <source>已从 {n} 名参与者中抽出 {k} 位；{prize} 剩余 {left}。</source>
        <translation>Drew {k} of {n} entries; {left} {prize} left.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="437"/>
        <source>请先在中奖名单里选中要作废的一位。</source>
        <translation>Select the win to void in the winners list first.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="442"/>
        <source>请填写作废原因，如“未到场”。</source>
        <translation>Enter why the win is voided, e.g. absent.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="459"/>
        <source>{prize} · 重抽中奖者</source>
        <translation>{prize} · redrawn winner</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="460"/>
        <source>已作废 {name} 的中奖（{reason}），并重抽一位。</source>
        <translation>Voided the win of {name} ({reason}) and drew one replacement.</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="466"/>
        <source>已作废 {name} 的中奖（{reason}），奖品已退回库存。</source>
        <translation>Voided the win of {name} ({reason}); the prize is back in stock.</translation>
    </message>
</context>
<context>
    <name>EncryptPage</name>
    <message>
        <location filename="../../ui/auth.py" line="641"/>
        <source>正在加密已有数据</source>
        <translation>Encrypting existing data</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="641"/>
        <source>本站数据来自加密功能之前的版本：身份证号和手机号现在逐条加密，旧的明文和旧备份随后删除。请勿关闭程序，百万条约需几分钟。</source>
        <translation>This station&apos;s data comes from a version before encryption: ID numbers and mobiles are being encrypted now, then the old plaintext and old backups are deleted. Do not close the program; a million rows take a few minutes.</translation>
    </message>
</context>
<context>
    <name>EventEditor</name>
    <message>
        <location filename="../../ui/event_editor.py" line="48"/>
        <source>新建活动</source>
        <translation>New event</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="52"/>
        <source>观影</source>
        <translation>Screening</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="53"/>
        <source>权益核销</source>
        <translation>Benefit redemption</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="55"/>
        <source>如：《长津湖》职工观影专场</source>
        <translation>e.g. Workers&apos; screening of The Battle at Lake Changjin</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="57"/>
        <source>如：南粤院线东城店 3 号厅</source>
        <translation>e.g. Nanyue Cinemas Dongcheng, hall 3</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="67"/>
        <source>至</source>
        <translation>to</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="70"/>
        <source>限定名额</source>
        <translation>Limit places</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="83"/>
        <source>每行一个工会；不填则不限</source>
        <translation>One union a line; empty: no restriction</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="86"/>
        <source>每行一个单位；不填则不限</source>
        <translation>One enterprise a line; empty: no restriction</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="92"/>
        <source>类型(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="93"/>
        <source>活动名称 *(&amp;N)</source>
        <translation>Event &amp;name *</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="94"/>
        <source>场地 *(&amp;V)</source>
        <translation>&amp;Venue *</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="95"/>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="96"/>
        <source>入场时间</source>
        <translation>Entry window</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="97"/>
        <source>名额</source>
        <translation>Places</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="98"/>
        <source>每人可入场次数</source>
        <translation>Admissions per member</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="99"/>
        <source>允许出场再入场（入口、出口分开核验，显示场内人数）</source>
        <translation>Allow going out and coming back in (entry and exit checked apart; the screen shows who is inside)</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="101"/>
        <source>面向工会</source>
        <translation>For unions</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="102"/>
        <source>面向单位</source>
        <translation>For enterprises</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="104"/>
        <source>创建活动</source>
        <translation>Create event</translation>
    </message>
    <message>
        <location filename="../../ui/event_editor.py" line="107"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="436"/>
        <source>导出</source>
        <translation>Export</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="438"/>
        <source>将导出 {n} 条记录。导出文件离开本站后无法收回：请写明用途，用途、条数和是否打码会记入审计日志。</source>
        <translation>{n} records will be exported. A file that leaves the station cannot be called back: state the purpose; the purpose, the count and whether it is masked go into the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="441"/>
        <source>如：向镇总工会报送本月新会员名单</source>
        <translation>e.g. monthly new-member list for the town union</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="443"/>
        <source>Excel 工作簿 (.xlsx)</source>
        <translation>Excel workbook (.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="444"/>
        <source>CSV 文本 (.csv)</source>
        <translation>CSV text (.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="445"/>
        <source>导出完整号码（不打码，仅限确有必要时）</source>
        <translation>Export full numbers (unmasked, only when truly needed)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="448"/>
        <source>用途(&amp;U)</source>
        <translation>&amp;Purpose</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="449"/>
        <source>格式(&amp;F)</source>
        <translation>&amp;Format</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="452"/>
        <source>导出…</source>
        <translation>Export…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="455"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="476"/>
        <source>导出到</source>
        <translation>Export to</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="477"/>
        <source>Excel 工作簿 (*.xlsx)</source>
        <translation>Excel workbook (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="477"/>
        <source>CSV 文件 (*.csv)</source>
        <translation>CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="489"/>
        <source>正在导出…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="496"/>
        <source>已导出 {n} 条到 {name}（{masked}），已记入审计日志。</source>
        <translation>Exported {n} records to {name} ({masked}); recorded in the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="497"/>
        <source>已打码</source>
        <translation>masked</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="497"/>
        <source>完整号码</source>
        <translation>full numbers</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="499"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>Fields</name>
    <message>
        <location filename="../../ui/roster_screen.py" line="40"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="41"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="42"/>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="43"/>
        <source>单位名称</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="44"/>
        <source>基层工会名称</source>
        <translation>Grassroots union</translation>
    </message>
</context>
<context>
    <name>Gate</name>
    <message>
        <location filename="../../ui/auth.py" line="741"/>
        <source>本站数据还需加密一次：请管理员先登录，加密完成后推广员才能使用。</source>
        <translation>This station&apos;s data must be encrypted once: an organizer must log in first; promoters can use it afterwards.</translation>
    </message>
</context>
<context>
    <name>HostDialog</name>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="128"/>
        <source>本机作为活动主机</source>
        <translation>This laptop as the event host</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="129"/>
        <source>正在启动活动主机…</source>
        <translation>Starting the event host…</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="134"/>
        <source>例如：二号门</source>
        <translation>e.g. Door 2</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="136"/>
        <source>生成加入码</source>
        <translation>Make a ticket</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="152"/>
        <source>停止活动主机</source>
        <translation>Stop the event host</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="156"/>
        <source>本机地址</source>
        <translation>This laptop&apos;s address</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="160"/>
        <source>要加入的工作站</source>
        <translation>Station to join</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="177"/>
        <source>关闭这个窗口后主机继续运行；退出本程序即停止活动主机。</source>
        <translation>The host keeps running when this window closes; quitting the program stops it.</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="194"/>
        <source>活动主机运行中，端口 {port}。其他工作站连同一个 Wi-Fi，扫描加入码即可加入。</source>
        <translation>Event host running on port {port}. Other stations on the same Wi-Fi join by scanning a ticket.</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="208"/>
        <source>活动主机没有启动</source>
        <translation>The event host did not start</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="215"/>
        <source>请先填写要加入的工作站名称，例如：二号门</source>
        <translation>Type the name of the station that will join first, e.g. Door 2</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="228"/>
        <source>请在“{name}”上点 同步 → 加入活动主机…，用摄像头扫这个二维码，或输入上面的短码。加入码只能用一次，12 小时内有效。</source>
        <translation>On “{name}”, open Sync → Join an event host…, and scan this QR code with the webcam or type the short code above. A ticket works once, for 12 hours.</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="244"/>
        <source>{name}（在线）</source>
        <translation>{name} (online)</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="244"/>
        <source>{name}（未在线）</source>
        <translation>{name} (not online)</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="246"/>
        <source>已加入：{list}</source>
        <translation>Joined: {list}</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="253"/>
        <source>活动主机已停止：其他工作站改为仅本机核验</source>
        <translation>Event host stopped: the other stations now decide alone</translation>
    </message>
</context>
<context>
    <name>IdleLockDialog</name>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="595"/>
        <source>自动锁定</source>
        <translation>Automatic lock</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="599"/>
        <source> 分钟</source>
        <translation> min</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="600"/>
        <source>无人操作多久后自动锁定工作站（随时可按 Ctrl+L 立即锁定）。</source>
        <translation>Lock the station after this long without use (Ctrl+L locks at once, any time).</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="603"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="606"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="608"/>
        <source>空闲锁定(&amp;M)</source>
        <translation>Idle &amp;minutes</translation>
    </message>
</context>
<context>
    <name>ImportProgressDialog</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="106"/>
        <source>文件：{name}</source>
        <translation>File: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="111"/>
        <source>正在读取文件…</source>
        <translation>Reading the file…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="130"/>
        <source>打开报告</source>
        <translation>Open report</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="132"/>
        <source>取消导入</source>
        <translation>Cancel import</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="133"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="186"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="187"/>
        <source>正在取消，名册不会有任何改动…</source>
        <translation>Cancelling; the roster will not be changed…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="204"/>
        <source>名册正在写入，已无法取消</source>
        <translation>The roster is being written; it can no longer be cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="209"/>
        <source>已检查完毕，正在写入名册：{done} / {total} 人（已无法取消）</source>
        <translation>Writing: {done} / {total} people — can&apos;t cancel now</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="215"/>
        <source>已读取 {done} 行，正在重建索引…</source>
        <translation>{done} rows read; rebuilding indexes…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="218"/>
        <source>已读取 {done} 行，正在保存…</source>
        <translation>{done} rows read; saving…</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="222"/>
        <source>已处理 {done} / {total} 行</source>
        <translation>{done} / {total} rows done</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="225"/>
        <source>已处理 {done} 行</source>
        <translation>{done} rows done</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="227"/>
        <source>速度：每秒 {rate} 行&#x3000;预计剩余：{eta}</source>
        <translation>Speed: {rate} rows/s    Time left: {eta}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="248"/>
        <source>已读取 {done} 行</source>
        <translation>{done} rows read</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="252"/>
        <source>导入完成，用时 {elapsed}。</source>
        <translation>Import finished in {elapsed}.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="258"/>
        <source>问题行报告：{path}</source>
        <translation>Report of problem rows: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="275"/>
        <source>已取消导入，数据未改动。</source>
        <translation>Import cancelled; no data was changed.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="281"/>
        <source>导入未完成，数据未改动。</source>
        <translation>The import did not complete; no data was changed.</translation>
    </message>
</context>
<context>
    <name>JoinDialog</name>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="273"/>
        <source>加入活动主机</source>
        <translation>Join an event host</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="274"/>
        <source>在活动主机上点 同步 → 本机作为活动主机…，为本站生成加入码；然后用摄像头扫它的二维码，或在下面输入短码（地址:端口 加入码 指纹），按回车。</source>
        <translation>On the event host, open Sync → This laptop as the event host… and make this station&apos;s ticket; then scan its QR code with the webcam, or type the short code below (address:port code fingerprint) and press Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="278"/>
        <source>192.168.43.20:8765 ABCD-EFGH-JKLM-NPQR XXXXXXXXXXXXXXXX</source>
        <translation>192.168.43.20:8765 ABCD-EFGH-JKLM-NPQR XXXXXXXXXXXXXXXX</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="280"/>
        <source>加入</source>
        <translation>Join</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="282"/>
        <location filename="../../ui/lan_dialogs.py" line="359"/>
        <source>用摄像头扫码</source>
        <translation>Scan with the webcam</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="283"/>
        <source>摄像头未开启</source>
        <translation>Camera off</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="311"/>
        <source>请输入加入码，或用摄像头扫描活动主机屏幕上的二维码</source>
        <translation>Type the ticket, or scan the QR code on the event host&apos;s screen with the webcam</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="317"/>
        <source>正在核对活动主机的证书并加入…</source>
        <translation>Checking the event host&apos;s certificate and joining…</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="325"/>
        <source>已加入活动主机 {url}，实时同步马上开始。</source>
        <translation>Joined the event host {url}; live sync starts now.</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="352"/>
        <source>停止摄像头</source>
        <translation>Stop the webcam</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="376"/>
        <source>这个二维码不是活动主机的加入码：请扫描活动主机屏幕上显示的二维码</source>
        <translation>This QR code is not an event host ticket: scan the one on the event host&apos;s screen</translation>
    </message>
</context>
<context>
    <name>KioskExitDialog</name>
    <message>
        <location filename="../../ui/kiosk.py" line="42"/>
        <location filename="../../ui/kiosk.py" line="53"/>
        <source>退出核验模式</source>
        <translation>Leave door mode</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="44"/>
        <source>核验模式只能由管理员退出：请管理员输入自己的密码。</source>
        <translation>Only an organizer can leave door mode: the organizer types their own passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="50"/>
        <source>管理员(&amp;N)</source>
        <translation>Orga&amp;nizer</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="51"/>
        <source>密码(&amp;P)</source>
        <translation>&amp;Passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="56"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="84"/>
        <source>正在核对…</source>
        <translation>Checking…</translation>
    </message>
    <message>
        <location filename="../../ui/kiosk.py" line="93"/>
        <source>只有管理员能退出核验模式。</source>
        <translation>Only an organizer can leave door mode.</translation>
    </message>
</context>
<context>
    <name>LanPanel</name>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="72"/>
        <source>活动现场</source>
        <translation>At the venue</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="76"/>
        <source>本机作为活动主机…</source>
        <translation>This laptop as the event host…</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="77"/>
        <source>一场活动有几台电脑时：本机在局域网上为其他工作站提供实时同步（不需要互联网）</source>
        <translation>When an event has several laptops: this one keeps the others in step over the local network (no internet needed)</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="78"/>
        <source>加入活动主机…</source>
        <translation>Join an event host…</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="79"/>
        <source>扫描活动主机屏幕上的二维码，或输入它下方的短码</source>
        <translation>Scan the QR code on the event host&apos;s screen, or type the short code under it</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="80"/>
        <source>离开活动主机</source>
        <translation>Leave the event host</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="102"/>
        <source>未加入活动主机：本站只与中心平台同步</source>
        <translation>No event host joined: this station syncs with the platform only</translation>
    </message>
    <message>
        <location filename="../../ui/lan_dialogs.py" line="105"/>
        <source>已加入活动主机 {url}（证书指纹 {pin}…）</source>
        <translation>Joined the event host {url} (certificate {pin}…)</translation>
    </message>
</context>
<context>
    <name>LoginPage</name>
    <message>
        <location filename="../../ui/auth.py" line="409"/>
        <source>工作站：{name}</source>
        <translation>Station: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="418"/>
        <source>操作员(&amp;O)</source>
        <translation>&amp;Operator</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="419"/>
        <source>推广员输入 PIN，管理员输入密码</source>
        <translation>Promoters: PIN; organizers: passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="420"/>
        <source>PIN / 密码(&amp;P)</source>
        <translation>&amp;PIN / passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="422"/>
        <source>登录 (Enter)</source>
        <translation>Log in (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="424"/>
        <source>忘记管理员密码？用恢复密钥…</source>
        <translation>Forgot the passphrase? Recovery key…</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="435"/>
        <location filename="../../ui/auth.py" line="491"/>
        <source>请登录</source>
        <translation>Please log in</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="483"/>
        <source>工作站已锁定</source>
        <translation>Station locked</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="484"/>
        <source>{name} 于 {time} 锁定。输入 PIN 或密码解锁；其他操作员也可以在此登录。</source>
        <translation>Locked by {name} at {time}. Enter the PIN or passphrase to unlock; another operator may log in here too.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="492"/>
        <source>选择或输入您的姓名，再输入 PIN（推广员）或密码（管理员）。</source>
        <translation>Choose or type your name, then your PIN (promoters) or passphrase (organizers).</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="525"/>
        <source>请输入 PIN 或密码。</source>
        <translation>Enter your PIN or passphrase.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="529"/>
        <source>正在验证…</source>
        <translation>Checking…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../ui/main_window.py" line="101"/>
        <source>粤工惠地推工作站</source>
        <translation>Yuegonghui Field Station</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="176"/>
        <source>粤工惠
地推工作站</source>
        <translation>Yuegonghui
Field Station</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="184"/>
        <location filename="../../ui/main_window.py" line="240"/>
        <source>现场注册</source>
        <translation>Sign-up</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="185"/>
        <location filename="../../ui/main_window.py" line="240"/>
        <source>名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="186"/>
        <location filename="../../ui/main_window.py" line="240"/>
        <source>登记记录</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="187"/>
        <location filename="../../ui/main_window.py" line="240"/>
        <location filename="../../ui/main_window.py" line="248"/>
        <source>查询</source>
        <translation>Search</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="188"/>
        <location filename="../../ui/main_window.py" line="241"/>
        <source>核验</source>
        <translation>Check-in</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="189"/>
        <location filename="../../ui/main_window.py" line="241"/>
        <source>海报</source>
        <translation>Posters</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="190"/>
        <location filename="../../ui/main_window.py" line="241"/>
        <source>抽奖</source>
        <translation>Prize draw</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="288"/>
        <source>离开摊位时锁定：屏幕不再显示个人信息，摄像头关闭</source>
        <translation>Lock when you leave the booth: no personal data on screen, camera off</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="212"/>
        <source>工作站(&amp;S)</source>
        <translation>&amp;Station</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="191"/>
        <location filename="../../ui/main_window.py" line="241"/>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="192"/>
        <location filename="../../ui/main_window.py" line="242"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="203"/>
        <source>开启场次 F2</source>
        <translation>Open session F2</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="213"/>
        <source>开启场次…</source>
        <translation>Open session…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="216"/>
        <source>结束场次</source>
        <translation>Close session</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="218"/>
        <source>从备份恢复…</source>
        <translation>Restore from backup…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="220"/>
        <source>打开数据目录</source>
        <translation>Open data folder</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="224"/>
        <source>锁定</source>
        <translation>Lock</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="228"/>
        <source>退出</source>
        <translation>Quit</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="238"/>
        <source>视图(&amp;V)</source>
        <translation>&amp;View</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="253"/>
        <source>管理(&amp;M)</source>
        <translation>&amp;Manage</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="254"/>
        <source>操作员…</source>
        <translation>Operators…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="256"/>
        <source>审计日志…</source>
        <translation>Audit log…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="258"/>
        <source>自动锁定时间…</source>
        <translation>Automatic lock time…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="260"/>
        <source>修改我的 PIN / 密码…</source>
        <translation>Change my PIN / passphrase…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="266"/>
        <source>帮助(&amp;H)</source>
        <translation>&amp;Help</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="267"/>
        <location filename="../../ui/main_window.py" line="416"/>
        <source>关于</source>
        <translation>About</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="286"/>
        <source>锁定 Ctrl+L</source>
        <translation>Lock Ctrl+L</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="291"/>
        <source>退出核验模式…</source>
        <translation>Leave door mode…</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="293"/>
        <source>核验员只能看到核验页面；管理员输入密码后才能退出</source>
        <translation>A door checker sees the check screen only; an organizer&apos;s passphrase leaves it</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="301"/>
        <source>工作站：{name}</source>
        <translation>Station: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="305"/>
        <source>数据：{path}</source>
        <translation>Data: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="336"/>
        <source>未开启场次（按 F2 开启）</source>
        <translation>No session open (F2 to open one)</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="340"/>
        <source>场次：{event} · {venue} · {promoter}</source>
        <translation>Session: {event} · {venue} · {promoter}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="383"/>
        <source>今日本站登记：{n}</source>
        <translation>Signed up here today: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="410"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="410"/>
        <source>请退出程序后，在命令行运行 station restore 从备份恢复。</source>
        <translation>Quit the program, then run station restore on the command line to restore from a backup.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="417"/>
        <source>粤工惠地推工作站 {version}
离线登记、名册比对，为广东工会地推团队而做。</source>
        <translation>Yuegonghui Field Station {version}
Offline sign-up and roster matching for Guangdong trade-union field teams.</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="424"/>
        <source>核验模式下不能关闭：请管理员点“退出核验模式…”</source>
        <translation>Door mode cannot be closed: an organizer clicks “Leave door mode…”</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="451"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="451"/>
        <source>未登录</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="468"/>
        <source>操作员：{name}（{role}）</source>
        <translation>Operator: {name} ({role})</translation>
    </message>
    <message>
        <location filename="../../ui/main_window.py" line="579"/>
        <source>审计日志校验未通过（第 {seq} 条）：请在“管理 → 审计日志”中查看</source>
        <translation>Audit log check failed (entry {seq}): see Manage → Audit log</translation>
    </message>
</context>
<context>
    <name>OpenSessionDialog</name>
    <message>
        <location filename="../../ui/session_dialog.py" line="52"/>
        <location filename="../../ui/session_dialog.py" line="95"/>
        <source>开启场次</source>
        <translation>Open session</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="55"/>
        <source>开启场次后才能登记。同一天、同一地点、同一单位的场次会合并为一次活动。</source>
        <translation>Open a session before signing anyone up. Sessions on the same day, at the same venue and for the same enterprise join one event.</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="63"/>
        <source>如：XX 厂一号饭堂</source>
        <translation>e.g. Canteen 1, XX factory</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="66"/>
        <source>主办单位（企业），可选</source>
        <translation>Host enterprise, optional</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="68"/>
        <source>选择单位后自动填写，可修改</source>
        <translation>Filled in from the enterprise; can be changed</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="70"/>
        <source>推广员姓名</source>
        <translation>Promoter&apos;s name</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="73"/>
        <source>可选，默认为“单位 场地”</source>
        <translation>Optional; defaults to &quot;enterprise venue&quot;</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="78"/>
        <source>日期(&amp;D)</source>
        <translation>&amp;Date</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="79"/>
        <source>场地 *(&amp;V)</source>
        <translation>&amp;Venue *</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="81"/>
        <source>主办单位(&amp;E)</source>
        <translation>Host &amp;enterprise</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="82"/>
        <source>基层工会(&amp;U)</source>
        <translation>Host &amp;union</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="83"/>
        <source>推广员 *(&amp;P)</source>
        <translation>&amp;Promoter *</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="85"/>
        <source>活动名称(&amp;N)</source>
        <translation>Event &amp;name</translation>
    </message>
    <message>
        <location filename="../../ui/session_dialog.py" line="98"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>OperatorForm</name>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="78"/>
        <source>添加操作员</source>
        <translation>Add operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="78"/>
        <source>设置 {name} 的密码</source>
        <translation>Set the secret of {name}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="88"/>
        <source>再输入一次</source>
        <translation>Type it again</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="93"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="94"/>
        <source>角色(&amp;R)</source>
        <translation>&amp;Role</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="95"/>
        <source>PIN / 密码(&amp;P)</source>
        <translation>&amp;PIN / passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="96"/>
        <source>再次输入(&amp;A)</source>
        <translation>A&amp;gain</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="98"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="101"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="119"/>
        <source>核验员只能核验电子会员卡（全屏，只有管理员密码能退出），用 PIN：至少 {n} 位数字，不能是 123456、111111 这类。</source>
        <translation>A door checker only checks e-cards (full screen, left only with an organizer&apos;s passphrase) and uses a PIN: at least {n} digits, not 123456, 111111 and the like.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="121"/>
        <source>推广员用 PIN：至少 {n} 位数字，不能是 123456、111111 这类。</source>
        <translation>Promoters use a PIN: at least {n} digits, nothing like 123456 or 111111.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="123"/>
        <source>管理员用密码：至少 {n} 个字符，可用一句好记的话。</source>
        <translation>Organizers use a passphrase: at least {n} characters; a memorable phrase works well.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="138"/>
        <source>两次输入不一致。</source>
        <translation>The two entries differ.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="146"/>
        <source>正在保存…</source>
        <translation>Saving…</translation>
    </message>
</context>
<context>
    <name>OperatorsDialog</name>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="169"/>
        <source>操作员</source>
        <translation>Operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="171"/>
        <source>推广员可登记、核验、抽奖，只看打码信息；管理员还可导入、导出、查看完整号码、管理操作员和查看审计日志。</source>
        <translation>Promoters sign people up, check e-cards and run draws, seeing masked data only; organizers can also import, export, unmask, manage operators and read the audit log.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="174"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="174"/>
        <source>角色</source>
        <translation>Role</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="174"/>
        <source>上次登录</source>
        <translation>Last log-in</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="174"/>
        <source>状态</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="178"/>
        <source>添加操作员…</source>
        <translation>Add operator…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="180"/>
        <source>重设密码…</source>
        <translation>Reset secret…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="181"/>
        <location filename="../../ui/admin_dialogs.py" line="268"/>
        <source>删除</source>
        <translation>Remove</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="182"/>
        <source>修改我的密码…</source>
        <translation>Change my secret…</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="183"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="208"/>
        <source>已锁定至 {time}</source>
        <translation>Locked until {time}</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="210"/>
        <source>连续输错 {n} 次</source>
        <translation>{n} wrong tries in a row</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="212"/>
        <source>正常</source>
        <translation>OK</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="214"/>
        <source>（当前登录）</source>
        <translation> (logged in)</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="245"/>
        <source>已保存。</source>
        <translation>Saved.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="266"/>
        <source>删除操作员</source>
        <translation>Remove operator</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="267"/>
        <source>删除 {name}？此人将不能再登录本站。审计日志中的记录会保留。</source>
        <translation>Remove {name}? They will no longer be able to log in here. Their entries in the audit log stay.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="268"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="277"/>
        <source>已删除 {name}。</source>
        <translation>Removed {name}.</translation>
    </message>
</context>
<context>
    <name>PaperConsentDialog</name>
    <message>
        <location filename="../../ui/import_dialog.py" line="405"/>
        <source>导入纸质登记表</source>
        <translation>Import paper sign-up sheets</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="407"/>
        <source>文件：{name}</source>
        <translation>File: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="409"/>
        <source>网络或电脑故障时用纸质登记表登记的人员，可在此补录。每一行都必须有本人签署的《个人信息处理告知同意书》。</source>
        <translation>People signed up on paper while the computer was down can be added here. Every row needs the consent notice signed by the worker.</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="411"/>
        <source>纸质登记表均已由本人签署同意书</source>
        <translation>Every paper sheet has been signed by the worker (consent)</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="413"/>
        <source>继续导入</source>
        <translation>Continue</translation>
    </message>
    <message>
        <location filename="../../ui/import_dialog.py" line="416"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>PosterScreen</name>
    <message>
        <location filename="../../ui/poster_screen.py" line="118"/>
        <source>二维码海报</source>
        <translation>QR posters</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="120"/>
        <source>每张海报的二维码都带有单位、活动和海报编号，扫码注册可追溯到张贴地点。生成的文件已逐页校验二维码。</source>
        <translation>Each poster&apos;s QR code carries the enterprise, the campaign and a poster id, so a sign-up can be traced to where the poster hung. Every page of a finished file has had its QR code read back.</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="126"/>
        <source>输入或选择单位名称</source>
        <translation>Type or choose an enterprise</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="143"/>
        <source>{enterprise} 会换成单位名称，{union} 换成工会名称</source>
        <translation>{enterprise} becomes the enterprise&apos;s name, {union} the union&apos;s</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="145"/>
        <source>每行一条，1–6 条</source>
        <translation>One per line, 1–6 lines</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="148"/>
        <source>每行一步，正好 3 行</source>
        <translation>One step per line, exactly 3 lines</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="152"/>
        <source>默认工会标志</source>
        <translation>Default union logo</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="154"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="155"/>
        <source>默认</source>
        <translation>Default</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="165"/>
        <source>主色</source>
        <translation>Main</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="168"/>
        <source>辅色</source>
        <translation>Accent</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="175"/>
        <source>按模板</source>
        <translation>Template&apos;s</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="176"/>
        <source> 米</source>
        <translation> m</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="178"/>
        <source>二维码打开的粤工惠注册页地址；修改后对本站所有新海报生效</source>
        <translation>The Yuegonghui sign-up page the QR code opens; a change applies to every new poster of this station</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="182"/>
        <source>单位(&amp;E)</source>
        <translation>&amp;Enterprise</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="183"/>
        <source>模板(&amp;T)</source>
        <translation>&amp;Template</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="184"/>
        <location filename="../../ui/poster_screen.py" line="303"/>
        <source>张贴位置</source>
        <translation>Placement</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="185"/>
        <source>活动代码</source>
        <translation>Campaign code</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="186"/>
        <location filename="../../ui/poster_screen.py" line="303"/>
        <source>张贴日期</source>
        <translation>Hanging date</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="187"/>
        <source>标题</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="188"/>
        <source>副标题</source>
        <translation>Subtitle</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="189"/>
        <source>单位条</source>
        <translation>Enterprise ribbon</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="190"/>
        <source>会员福利</source>
        <translation>Member benefits</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="191"/>
        <source>注册步骤</source>
        <translation>Sign-up steps</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="192"/>
        <source>联系方式</source>
        <translation>Contact line</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="193"/>
        <source>工会标志</source>
        <translation>Union logo</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="194"/>
        <source>颜色</source>
        <translation>Colours</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="195"/>
        <source>扫码距离</source>
        <translation>Reading distance</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="196"/>
        <source>注册页地址</source>
        <translation>Sign-up address</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="208"/>
        <source>生成 PDF…(&amp;M)</source>
        <translation>&amp;Make PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="210"/>
        <source>打印…(&amp;P)</source>
        <translation>&amp;Print…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="225"/>
        <source>正在生成预览…</source>
        <translation>Rendering the preview…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="241"/>
        <source>批量生成</source>
        <translation>Batch</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="243"/>
        <source>全部单位（不填）</source>
        <translation>Every enterprise (leave empty)</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="244"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="245"/>
        <source>在册人数最多的前</source>
        <translation>The largest by imported members:</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="246"/>
        <source>认证率最低的前</source>
        <translation>The lowest verification rate:</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="254"/>
        <source> 家</source>
        <translation> enterprises</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="258"/>
        <source>不限</source>
        <translation>Any</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="259"/>
        <source> 人</source>
        <translation> members</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="260"/>
        <source>合成一个多页 PDF</source>
        <translation>One multi-page PDF</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="261"/>
        <source>每家一个文件</source>
        <translation>One file each</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="266"/>
        <source>批量生成…(&amp;B)</source>
        <translation>Make &amp;batch…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="268"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="283"/>
        <source>基层工会</source>
        <translation>Grassroots union</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="284"/>
        <source>范围</source>
        <translation>Which</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="285"/>
        <source>在册人数至少</source>
        <translation>At least</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="290"/>
        <source>输出</source>
        <translation>Output</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="299"/>
        <source>海报登记簿</source>
        <translation>Poster register</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="302"/>
        <source>生成时间</source>
        <translation>Made</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="302"/>
        <source>编号</source>
        <translation>Poster id</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="302"/>
        <source>单位</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="302"/>
        <source>模板</source>
        <translation>Template</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="302"/>
        <source>活动</source>
        <translation>Campaign</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="303"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="436"/>
        <source>选择工会标志</source>
        <translation>Choose the union logo</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="437"/>
        <source>图片 (*.png *.jpg *.jpeg *.bmp *.gif *.svg)</source>
        <translation>Images (*.png *.jpg *.jpeg *.bmp *.gif *.svg)</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="468"/>
        <source>二维码每格 {mm:.1f} 毫米</source>
        <translation>QR modules {mm:.1f} mm</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="482"/>
        <source>无法预览</source>
        <translation>No preview</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="490"/>
        <source>请先选择单位。</source>
        <translation>Choose an enterprise first.</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="502"/>
        <source>保存海报</source>
        <translation>Save the poster</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="502"/>
        <location filename="../../ui/poster_screen.py" line="591"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="512"/>
        <source>正在生成并校验…</source>
        <translation>Making and proofing…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="522"/>
        <source>已生成并校验通过：{file}（编号 {code}）</source>
        <translation>Made and proofed: {file} (poster id {code})</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="557"/>
        <source>一次最多预览打印 {n} 张；更多请打开生成的 PDF 打印。</source>
        <translation>The print preview takes at most {n} posters; print larger batches from the PDF.</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="563"/>
        <source>打印预览</source>
        <translation>Print preview</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="588"/>
        <source>选择存放海报的文件夹</source>
        <translation>Choose the folder for the posters</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="590"/>
        <source>海报_{date}.pdf</source>
        <translation>posters_{date}.pdf</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="591"/>
        <source>保存批量海报</source>
        <translation>Save the batch</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="606"/>
        <source>正在选择单位…</source>
        <translation>Choosing enterprises…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="616"/>
        <source>排版</source>
        <translation>Rendering</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="616"/>
        <source>校样</source>
        <translation>Proofing</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="616"/>
        <source>保存</source>
        <translation>Saving</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="619"/>
        <source>{phase}：{done}/{total} 张</source>
        <translation>{phase}: {done}/{total}</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="624"/>
        <source>正在取消…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="635"/>
        <source>已取消，没有保存任何文件。</source>
        <translation>Cancelled; no file was saved.</translation>
    </message>
    <message>
        <location filename="../../ui/poster_screen.py" line="639"/>
        <source>已生成 {n} 张海报，二维码全部校验通过，用时 {s:.1f} 秒：{where}</source>
        <translation>Made {n} posters, every QR code proofed, in {s:.1f} s: {where}</translation>
    </message>
</context>
<context>
    <name>ProjectorWindow</name>
    <message>
        <location filename="../../ui/draw_screen.py" line="61"/>
        <source>抽奖 · 投影</source>
        <translation>Prize draw · projector</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="85"/>
        <source>按 Enter 抽奖 · 按 Esc 退出投影</source>
        <translation>Enter: draw · Esc: leave projector mode</translation>
    </message>
    <message>
        <location filename="../../ui/draw_screen.py" line="101"/>
        <source>请先添加奖品</source>
        <translation>Add a prize first</translation>
    </message>
</context>
<context>
    <name>Recovery</name>
    <message>
        <location filename="../../ui/auth.py" line="114"/>
        <source>粤工惠地推工作站 · 恢复密钥</source>
        <translation>Yuegonghui Field Station · Recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="115"/>
        <source>工作站：{station}&#x3000;管理员：{name}&#x3000;打印时间：{time}</source>
        <translation>Station: {station}   Organizer: {name}   Printed: {time}</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="117"/>
        <source>管理员忘记密码时，凭此恢复密钥可以重新打开本站数据并设置新密码。没有它、也没有任何管理员密码时，数据无法打开，任何人都无法找回。</source>
        <translation>If the organizer forgets the passphrase, this recovery key opens the station&apos;s data and sets a new one. Without it and without any organizer passphrase the data cannot be opened, by anyone.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="118"/>
        <source>请妥善保管，锁在柜中，不要拍照、不要和电脑放在一起。</source>
        <translation>Keep it locked away; do not photograph it or keep it with the laptop.</translation>
    </message>
</context>
<context>
    <name>RecoveryDialog</name>
    <message>
        <location filename="../../ui/auth.py" line="562"/>
        <source>用恢复密钥重设管理员密码</source>
        <translation>Reset the organizer passphrase with the recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="564"/>
        <source>输入设置工作站时打印的 48 位恢复密钥（8 组，每组 6 位，可不输横线），再为管理员设一个新密码。
没有恢复密钥、也没有任何管理员记得密码时，数据无法打开：加密就是为了让捡到电脑的人也打不开，本程序和技术支持都无法绕过。</source>
        <translation>Enter the 48-digit recovery key printed at set-up (8 groups of 6; dashes optional), then a new passphrase for the organizer.
Without the recovery key and without any organizer who remembers a passphrase, the data cannot be opened: the encryption exists so that whoever finds the laptop cannot open it, and neither this program nor support can get around it.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="571"/>
        <source>至少 {n} 个字符</source>
        <translation>At least {n} characters</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="572"/>
        <source>再输入一次</source>
        <translation>Type it again</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="574"/>
        <source>重设密码并登录</source>
        <translation>Reset and log in</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="577"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="584"/>
        <source>恢复密钥(&amp;K)</source>
        <translation>Recovery &amp;key</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="584"/>
        <source>管理员(&amp;O)</source>
        <translation>&amp;Organizer</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="585"/>
        <source>新密码(&amp;P)</source>
        <translation>New &amp;passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="585"/>
        <source>再次输入新密码(&amp;A)</source>
        <translation>New passphrase &amp;again</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="606"/>
        <source>两次输入的密码不一致。</source>
        <translation>The two passphrases differ.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="610"/>
        <source>正在打开数据…</source>
        <translation>Opening the data…</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../ui/app.py" line="106"/>
        <source>从备份恢复</source>
        <translation>Restore from backup</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="108"/>
        <source>请选择一个自动备份恢复（最新的在最上面）。损坏的数据库会被保留，不会删除。</source>
        <translation>Choose an automatic backup to restore (newest first). The damaged database is kept, not deleted.</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="112"/>
        <source>{time}&#x3000;{size} KB&#x3000;{name}</source>
        <translation>{time}    {size} KB    {name}</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="121"/>
        <source>恢复所选备份</source>
        <translation>Restore selected backup</translation>
    </message>
    <message>
        <location filename="../../ui/app.py" line="124"/>
        <source>取消</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>RosterScreen</name>
    <message>
        <location filename="../../ui/roster_screen.py" line="62"/>
        <source>名册</source>
        <translation>Roster</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="64"/>
        <source>导入名册…(&amp;I)</source>
        <translation>&amp;Import roster…</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="66"/>
        <source>下载模板…(&amp;T)</source>
        <translation>Download &amp;template…</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="69"/>
        <source>导入前核对列对应</source>
        <translation>Check columns before importing</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="75"/>
        <source>支持 Excel（.xlsx）和 CSV（含 GBK 编码）。身份证号码列请设为“文本”格式，否则 Excel 会把号码变成 4.419E+17 这样的数字，后几位无法恢复。</source>
        <translation>Excel (.xlsx) and CSV (GBK too) are accepted. Format the ID number column as Text, or Excel turns numbers into 4.419E+17 and their last digits are lost.</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="86"/>
        <source>在册会员</source>
        <translation>On the roster</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="87"/>
        <source>已实名认证</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="88"/>
        <source>新会员申请</source>
        <translation>New applications</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="89"/>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="90"/>
        <source>基层工会</source>
        <translation>Unions</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="91"/>
        <source>登记总数</source>
        <translation>Sign-ups in total</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="92"/>
        <source>今日登记</source>
        <translation>Sign-ups today</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="93"/>
        <source>导入次数</source>
        <translation>Imports</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="107"/>
        <source>最近导入</source>
        <translation>Recent imports</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="110"/>
        <source>完成时间</source>
        <translation>Finished</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="110"/>
        <source>文件</source>
        <translation>File</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="110"/>
        <location filename="../../ui/roster_screen.py" line="235"/>
        <source>读取</source>
        <translation>Read</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="110"/>
        <location filename="../../ui/roster_screen.py" line="236"/>
        <source>新增</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="110"/>
        <location filename="../../ui/roster_screen.py" line="237"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="111"/>
        <location filename="../../ui/roster_screen.py" line="239"/>
        <source>拒绝</source>
        <translation>Rejected</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="111"/>
        <location filename="../../ui/roster_screen.py" line="240"/>
        <source>重复</source>
        <translation>Duplicates</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="111"/>
        <source>报告</source>
        <translation>Report</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="128"/>
        <source>双击打开该次导入的问题行报告</source>
        <translation>Double-click to open that import&apos;s report of problem rows</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="156"/>
        <source>最近一次导入：{file}</source>
        <translation>Last import: {file}</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="158"/>
        <source>还没有导入过名册。</source>
        <translation>No roster imported yet.</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="160"/>
        <source>未完成</source>
        <translation>Not finished</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="178"/>
        <location filename="../../ui/roster_screen.py" line="196"/>
        <location filename="../../ui/roster_screen.py" line="199"/>
        <location filename="../../ui/roster_screen.py" line="203"/>
        <source>保存名册模板</source>
        <translation>Save roster template</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="178"/>
        <source>名册模板.xlsx</source>
        <translation>roster-template.xlsx</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="179"/>
        <source>Excel 文件 (*.xlsx);;CSV 文件 (*.csv)</source>
        <translation>Excel file (*.xlsx);;CSV file (*.csv)</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="203"/>
        <source>模板已保存到：{path}</source>
        <translation>Template saved to: {path}</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="209"/>
        <source>选择名册文件</source>
        <translation>Choose a roster file</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="210"/>
        <source>名册文件 ({exts});;所有文件 (*)</source>
        <translation>Roster files ({exts});;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="221"/>
        <source>导入名册</source>
        <translation>Import roster</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="238"/>
        <source>无变化</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location filename="../../ui/roster_screen.py" line="241"/>
        <source>警告</source>
        <translation>Warnings</translation>
    </message>
</context>
<context>
    <name>ScanScreen</name>
    <message>
        <location filename="../../ui/scan_screen.py" line="363"/>
        <source>电子会员卡核验</source>
        <translation>E-card check</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="369"/>
        <source>新建活动…</source>
        <translation>New event…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="373"/>
        <source>活动</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="378"/>
        <location filename="../../ui/scan_screen.py" line="692"/>
        <source>摄像头未开启</source>
        <translation>Camera off</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="383"/>
        <location filename="../../ui/scan_screen.py" line="896"/>
        <location filename="../../ui/scan_screen.py" line="927"/>
        <source>开启摄像头</source>
        <translation>Start camera</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="385"/>
        <source>从图片/视频…</source>
        <translation>From picture/video…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="390"/>
        <source>扫码枪：随时可扫，无需点击输入框</source>
        <translation>Scanner: scan any time, no need to click a field</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="393"/>
        <source>人工核验：姓名、拼音首字母或手机尾号</source>
        <translation>Manual check: name, pinyin initials or phone tail</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="397"/>
        <source>人工核验入场</source>
        <translation>Admit by manual check</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="434"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="434"/>
        <source>结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="434"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="434"/>
        <source>工会</source>
        <translation>Union</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="435"/>
        <source>方式</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="541"/>
        <source>还没有活动，请先新建</source>
        <translation>No events yet: create one</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="544"/>
        <source>观影</source>
        <translation>Screening</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="544"/>
        <source>权益核销</source>
        <translation>Benefit redemption</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="610"/>
        <source>出口：请出示电子会员卡</source>
        <translation>Exit: show the e-card</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="611"/>
        <source>{event} · 记出场，可再次入场</source>
        <translation>{event} · going out, may come back in</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="613"/>
        <source>请出示电子会员卡</source>
        <translation>Show your e-card</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="648"/>
        <location filename="../../ui/scan_screen.py" line="736"/>
        <source>请先选择或新建活动，再核验。</source>
        <translation>Choose or create an event before checking.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="661"/>
        <source>扫码枪读到的码不完整，已忽略，请重扫。</source>
        <translation>The scanner read an incomplete code; ignored. Scan again.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="690"/>
        <source>已锁定</source>
        <translation>Locked</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="757"/>
        <source>摄像头</source>
        <translation>Camera</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="757"/>
        <source>扫码枪</source>
        <translation>Scanner</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="757"/>
        <source>人工</source>
        <translation>Manual</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="758"/>
        <source>图片</source>
        <translation>Picture</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="758"/>
        <source>视频</source>
        <translation>Video</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="766"/>
        <source>不限</source>
        <translation>no limit</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="767"/>
        <source>已入场 {n} / {cap}</source>
        <translation>Admitted {n} / {cap}</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="768"/>
        <source>本次核验 {n} 次</source>
        <translation>{n} checks this session</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="824"/>
        <source>{n} 次</source>
        <translation>{n} times</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="825"/>
        <source>{name}（{doors}）</source>
        <translation>{name} ({doors})</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="825"/>
        <source>卡号尾号 {tail}</source>
        <translation>card ending {tail}</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="827"/>
        <source>，另有 {n} 张</source>
        <translation>, and {n} more cards</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="828"/>
        <source>断网期间同一张卡在两个门都入场了（已标记，日终同步报平台）：{items}{more}</source>
        <translation>While the link was down, one card got in at two doors (flagged; the day-end sync reports it): {items}{more}</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="842"/>
        <source>正在查找摄像头…</source>
        <translation>Looking for cameras…</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="851"/>
        <source>摄像头 {n}</source>
        <translation>Camera {n}</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="853"/>
        <source>未找到摄像头</source>
        <translation>No camera found</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="862"/>
        <source>没有可用的摄像头。可用扫码枪或人工核验。</source>
        <translation>No camera available. Use the scanner or a manual check.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="867"/>
        <source>选择图片或视频</source>
        <translation>Choose a picture or video</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="868"/>
        <source>图片或视频 (*.png *.jpg *.jpeg *.bmp *.mp4 *.avi *.mov *.mkv)</source>
        <translation>Pictures or videos (*.png *.jpg *.jpeg *.bmp *.mp4 *.avi *.mov *.mkv)</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="885"/>
        <source>停止</source>
        <translation>Stop</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="910"/>
        <source>摄像头已断开（{name}）。扫码枪和人工核验仍可使用；请检查连接后重新开启。</source>
        <translation>The camera was disconnected ({name}). The scanner and manual checks still work; check the cable and start the camera again.</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="912"/>
        <source>摄像头已断开</source>
        <translation>Camera disconnected</translation>
    </message>
</context>
<context>
    <name>SearchScreen</name>
    <message>
        <location filename="../../ui/search_screen.py" line="36"/>
        <source>查询会员与登记</source>
        <translation>Find members and sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="41"/>
        <source>姓名、拼音首字母、手机尾号或身份证尾号</source>
        <translation>Name, pinyin initials, last digits of mobile or ID</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="43"/>
        <location filename="../../ui/search_screen.py" line="88"/>
        <location filename="../../ui/search_screen.py" line="123"/>
        <source>输入后自动查询；身份证号码、手机号码可输入完整号码或后四位。</source>
        <translation>Results appear as you type; ID and mobile numbers can be given in full or by their last four characters.</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="46"/>
        <location filename="../../ui/search_screen.py" line="103"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="46"/>
        <location filename="../../ui/search_screen.py" line="103"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="46"/>
        <location filename="../../ui/search_screen.py" line="103"/>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="46"/>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="47"/>
        <location filename="../../ui/search_screen.py" line="145"/>
        <source>在册</source>
        <translation>On roster</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="47"/>
        <source>已登记（时间 · 活动 · 工作站）</source>
        <translation>Signed up (time · event · station)</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="59"/>
        <source>显示完整…(&amp;U)</source>
        <translation>&amp;Unmask…</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="60"/>
        <source>查看所选会员的完整身份证号和手机号（需写明原因，记入审计日志）</source>
        <translation>See the selected member&apos;s full ID number and mobile (state a reason; recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="97"/>
        <source>请先在结果中选中一人。</source>
        <translation>Select a person in the results first.</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="128"/>
        <source>正在查询…</source>
        <translation>Searching…</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="145"/>
        <source>新会员申请</source>
        <translation>New applications</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="145"/>
        <source>未登记</source>
        <translation>Not signed up</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="149"/>
        <source>没有找到。</source>
        <translation>Nothing found.</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="151"/>
        <source>显示前 {n} 条，请输入更多内容缩小范围。</source>
        <translation>Showing the first {n}; type more to narrow the search.</translation>
    </message>
    <message>
        <location filename="../../ui/search_screen.py" line="153"/>
        <source>找到 {n} 人。</source>
        <translation>Found {n}.</translation>
    </message>
</context>
<context>
    <name>SetupWizard</name>
    <message>
        <location filename="../../ui/auth.py" line="199"/>
        <source>这台工作站还没有管理员。请创建第一个管理员账号：身份证号、手机号等个人信息将用它加密保存。</source>
        <translation>This station has no organizer yet. Create the first organizer account: ID numbers, mobiles and other personal data are stored encrypted under it.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="204"/>
        <source>如：陈主席</source>
        <translation>e.g. Chair Chen</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="205"/>
        <source>至少 {n} 个字符，可用一句话</source>
        <translation>At least {n} characters; a phrase works</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="206"/>
        <source>再输入一次</source>
        <translation>Type it again</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="208"/>
        <source>管理员密码用于导入、导出、查看完整号码和管理操作员。建议用一句好记的话，如“长安镇一号饭堂2026”；不要用 123456 之类的简单数字。</source>
        <translation>The organizer passphrase opens imports, exports, unmasking and operator management. Use a memorable phrase such as &quot;Changan canteen one 2026&quot;, not simple digits like 123456.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="209"/>
        <source>创建管理员</source>
        <translation>Create organizer</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="220"/>
        <source>设置工作站 · 第 1 步：管理员</source>
        <translation>Set up the station · Step 1: organizer</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="221"/>
        <source>管理员姓名(&amp;N)</source>
        <translation>Organizer &amp;name</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="222"/>
        <source>管理员密码(&amp;P)</source>
        <translation>Organizer &amp;passphrase</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="223"/>
        <source>再次输入密码(&amp;A)</source>
        <translation>Passphrase &amp;again</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="234"/>
        <source>这是本站的恢复密钥，只显示这一次。管理员忘记密码时，只有凭它才能打开数据；丢了它又忘了密码，数据将永远无法打开。请现在打印或抄写，锁在柜中保管，不要拍照。</source>
        <translation>This is the station&apos;s recovery key, shown this once. If the organizer forgets the passphrase, only this key opens the data; lose it and forget the passphrase and the data stays closed for ever. Print it or write it down now and lock it away; do not photograph it.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="237"/>
        <source>打印…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="238"/>
        <source>保存为 PDF…</source>
        <translation>Save as PDF…</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="251"/>
        <source>第 8 组</source>
        <translation>Group 8</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="253"/>
        <source>我已保管好，进入工作站</source>
        <translation>It is safe; open the station</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="264"/>
        <source>设置工作站 · 第 2 步：恢复密钥</source>
        <translation>Set up the station · Step 2: recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="265"/>
        <source>为确认已抄下或打印，请输入最后一组（第 8 组）的 6 位数字(&amp;C)：</source>
        <translation>To &amp;confirm you have it, type the last group (group 8), 6 digits:</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="308"/>
        <source>两次输入的密码不一致。</source>
        <translation>The two passphrases differ.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="315"/>
        <source>正在生成密钥，约需 1 秒…</source>
        <translation>Making the keys, about a second…</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="351"/>
        <source>正确。</source>
        <translation>Correct.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="353"/>
        <source>与第 8 组不符，请对照检查。</source>
        <translation>That is not group 8; check it against the key.</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="362"/>
        <source>打印恢复密钥</source>
        <translation>Print the recovery key</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="367"/>
        <source>保存恢复密钥（PDF，请存到 U 盘后打印，不要留在电脑上）</source>
        <translation>Save the recovery key (PDF: save it to a USB stick and print it; do not leave it on the laptop)</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="368"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF file (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/auth.py" line="372"/>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
</context>
<context>
    <name>SignupScreen</name>
    <message>
        <location filename="../../ui/signup_screen.py" line="377"/>
        <source>请登记</source>
        <translation>Ready</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="377"/>
        <source>填好后按 Enter 或点“登记”。</source>
        <translation>Fill in the form, then press Enter or click &quot;Sign up&quot;.</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="153"/>
        <location filename="../../ui/signup_screen.py" line="331"/>
        <source>开启场次 (F2)</source>
        <translation>Open session (F2)</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="170"/>
        <source>如：张三</source>
        <translation>e.g. Zhang San</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="171"/>
        <source>11 位手机号码</source>
        <translation>11-digit mobile number</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="172"/>
        <source>18 位身份证号码</source>
        <translation>18-character ID number</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="191"/>
        <source>姓名(&amp;N)</source>
        <translation>&amp;Name</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="192"/>
        <source>手机号码(&amp;M)</source>
        <translation>&amp;Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="193"/>
        <source>身份证号码(&amp;I)</source>
        <translation>&amp;ID number</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="194"/>
        <source>单位名称(&amp;E)</source>
        <translation>&amp;Employer</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="195"/>
        <source>基层工会名称(&amp;U)</source>
        <translation>&amp;Union</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="198"/>
        <source>已阅读并同意《个人信息处理告知同意书》({version})</source>
        <translation>Has read and agrees to the personal information notice ({version})</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="202"/>
        <source>查看全文</source>
        <translation>Read it</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="209"/>
        <source>登记 (Enter)</source>
        <translation>Sign up (Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="253"/>
        <source>今日本站登记</source>
        <translation>Signed up here today</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="265"/>
        <source>本场最近登记</source>
        <translation>Latest sign-ups at this event</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="267"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="267"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="267"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="267"/>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="330"/>
        <source>尚未开启场次：请先点“开启场次”，填写场地和推广员后再登记。</source>
        <translation>No session open: click &quot;Open session&quot; and enter the venue and promoter before signing anyone up.</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="332"/>
        <location filename="../../ui/signup_screen.py" line="349"/>
        <source>单位名称</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="333"/>
        <location filename="../../ui/signup_screen.py" line="350"/>
        <source>基层工会名称</source>
        <translation>Grassroots union</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="338"/>
        <source>场次：{event} · {venue} · 推广员 {promoter}</source>
        <translation>Session: {event} · {venue} · promoter {promoter}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="343"/>
        <source>这是 {date} 的场次，不是今天的：请按 F2 开启今天的场次。</source>
        <translation>This session is from {date}, not today: press F2 to open today&apos;s session.</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="346"/>
        <source>主办：{host}</source>
        <translation>Host: {host}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="348"/>
        <source>更换场次 (F2)</source>
        <translation>Change session (F2)</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="375"/>
        <source>请先开启场次</source>
        <translation>Open a session first</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="375"/>
        <source>按 F2 或点“开启场次”，填写场地和推广员。</source>
        <translation>Press F2 or click &quot;Open session&quot; and enter the venue and promoter.</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="483"/>
        <location filename="../../ui/signup_screen.py" line="648"/>
        <source>（出生 {birth}）</source>
        <translation> (born {birth})</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="487"/>
        <source>男</source>
        <translation>male</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="487"/>
        <source>女</source>
        <translation>female</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="488"/>
        <source>{sex} · 出生 {birth} · {age} 岁</source>
        <translation>{sex} · born {birth} · age {age}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="505"/>
        <source>已登记：{at} {venue}（{station}）</source>
        <translation>Already signed up: {at} {venue} ({station})</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="511"/>
        <source>名册：{name}</source>
        <translation>Roster: {name}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="514"/>
        <source>名册中没有此人：将登记为新会员申请</source>
        <translation>Not on the roster: will be a new member application</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="565"/>
        <source>请让本人阅读告知书后勾选同意（按空格键勾选）。</source>
        <translation>Let the worker read the notice, then tick to agree (Space ticks it).</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="566"/>
        <location filename="../../ui/signup_screen.py" line="623"/>
        <source>未勾选同意书</source>
        <translation>Consent not ticked</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="570"/>
        <source>未登录</source>
        <translation>Not logged in</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="570"/>
        <source>请先登录再登记。</source>
        <translation>Log in before signing people up.</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="620"/>
        <source>未开启场次</source>
        <translation>No session open</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="626"/>
        <location filename="../../ui/signup_screen.py" line="628"/>
        <source>未保存</source>
        <translation>Not saved</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="649"/>
        <source>未满16周岁，不能登记</source>
        <translation>Under 16: cannot sign up</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="646"/>
        <source>年龄：{age} 岁</source>
        <translation>Age: {age}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="649"/>
        <source>本次未保存。</source>
        <translation>Nothing was saved.</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="656"/>
        <source>未保存：请核对标红的项</source>
        <translation>Not saved: check the fields in red</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="675"/>
        <source>已登记，可参加抽奖。身份证 {id}</source>
        <translation>Signed up; enters the prize draw. ID {id}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="681"/>
        <source>名册中没有此人，已登记为新会员申请。身份证 {id}</source>
        <translation>Not on the roster; signed up as a new member application. ID {id}</translation>
    </message>
    <message>
        <location filename="../../ui/signup_screen.py" line="692"/>
        <source>本次未重复登记。</source>
        <translation>Nothing was saved this time.</translation>
    </message>
</context>
<context>
    <name>SignupsScreen</name>
    <message>
        <location filename="../../ui/signups_screen.py" line="63"/>
        <location filename="../../ui/signups_screen.py" line="185"/>
        <source>登记记录</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="66"/>
        <source>今天</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="67"/>
        <source>本场活动</source>
        <translation>This event</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="68"/>
        <source>全部</source>
        <translation>All</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="69"/>
        <source>范围(&amp;R)</source>
        <translation>&amp;Range</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="71"/>
        <source>刷新</source>
        <translation>Refresh</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="72"/>
        <source>导入纸质登记表…(&amp;P)</source>
        <translation>Import &amp;paper sheets…</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="73"/>
        <source>显示完整…(&amp;U)</source>
        <translation>&amp;Unmask…</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="74"/>
        <source>查看所选登记的完整身份证号和手机号（需写明原因，记入审计日志）</source>
        <translation>See the selected sign-up&apos;s full ID number and mobile (state a reason; recorded in the audit log)</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="75"/>
        <source>导出…(&amp;E)</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="90"/>
        <location filename="../../ui/signups_screen.py" line="164"/>
        <source>时间</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="90"/>
        <location filename="../../ui/signups_screen.py" line="164"/>
        <location filename="../../ui/signups_screen.py" line="207"/>
        <source>姓名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="90"/>
        <location filename="../../ui/signups_screen.py" line="165"/>
        <location filename="../../ui/signups_screen.py" line="208"/>
        <source>手机号码</source>
        <translation>Mobile</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="90"/>
        <location filename="../../ui/signups_screen.py" line="166"/>
        <location filename="../../ui/signups_screen.py" line="207"/>
        <source>身份证号码</source>
        <translation>ID number</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="90"/>
        <location filename="../../ui/signups_screen.py" line="167"/>
        <source>单位</source>
        <translation>Employer</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="91"/>
        <location filename="../../ui/signups_screen.py" line="168"/>
        <source>结果</source>
        <translation>Outcome</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="91"/>
        <location filename="../../ui/signups_screen.py" line="168"/>
        <source>来源</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="91"/>
        <location filename="../../ui/signups_screen.py" line="169"/>
        <source>活动</source>
        <translation>Event</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="91"/>
        <location filename="../../ui/signups_screen.py" line="169"/>
        <source>工作站</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="136"/>
        <source>正在读取…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="148"/>
        <source>尚未开启场次。</source>
        <translation>No session open.</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="150"/>
        <location filename="../../ui/signups_screen.py" line="173"/>
        <source>现场</source>
        <translation>booth</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="150"/>
        <location filename="../../ui/signups_screen.py" line="173"/>
        <source>纸质</source>
        <translation>paper</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="156"/>
        <source>共 {n} 条</source>
        <translation>{n} in all</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="158"/>
        <source>显示最新 {n} 条</source>
        <translation>Showing the latest {n}</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="167"/>
        <source>基层工会</source>
        <translation>Union</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="202"/>
        <source>请先在表中选中一条登记。</source>
        <translation>Select a sign-up in the table first.</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="219"/>
        <source>选择纸质登记表（录入后的 Excel/CSV）</source>
        <translation>Choose the typed-up paper sheets (Excel/CSV)</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="220"/>
        <source>登记表文件 ({exts});;所有文件 (*)</source>
        <translation>Sign-up sheets ({exts});;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="231"/>
        <location filename="../../ui/signups_screen.py" line="247"/>
        <location filename="../../ui/signups_screen.py" line="265"/>
        <source>导入纸质登记表</source>
        <translation>Import paper sign-up sheets</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="233"/>
        <source>将登记到当前场次：{event} · {venue} · 推广员 {promoter}</source>
        <translation>They will be signed up at the open session: {event} · {venue} · promoter {promoter}</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="280"/>
        <source>读取</source>
        <translation>Read</translation>
    </message>
    <message>
        <location filename="../../ui/signups_screen.py" line="284"/>
        <source>拒绝</source>
        <translation>Rejected</translation>
    </message>
</context>
<context>
    <name>SyncScreen</name>
    <message>
        <location filename="../../ui/sync_screen.py" line="88"/>
        <source>同步</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="142"/>
        <source>例如 https://sync.example.cn</source>
        <translation>e.g. https://sync.example.cn</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="144"/>
        <source>例如 K7QM-3XRT-PW9A-HC2N</source>
        <translation>e.g. K7QM-3XRT-PW9A-HC2N</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="146"/>
        <source>可不填：平台使用自签证书时，选择管理员给的 CA 证书文件</source>
        <translation>Optional: when the platform uses its own certificate, choose the CA file the administrator gave you</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="147"/>
        <source>选择…</source>
        <translation>Choose…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="157"/>
        <source>平台地址</source>
        <translation>Platform address</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="95"/>
        <source>重新注册…</source>
        <translation>Enroll again…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="96"/>
        <source>平台吊销了本工作站，或换了平台时：用新的注册码重新注册</source>
        <translation>When the platform revoked this station, or for a new platform: enroll again with a new code</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="138"/>
        <source>本工作站还没有注册到平台。请向平台管理员要一个一次性注册码（16 位），填入平台地址和注册码后按回车。</source>
        <translation>This station is not enrolled with the platform yet. Ask the platform&apos;s administrator for a one-time enrollment code (16 characters), enter the platform address and the code, and press Enter.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="149"/>
        <location filename="../../ui/sync_screen.py" line="168"/>
        <source>注册到平台</source>
        <translation>Enroll with the platform</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="159"/>
        <source>注册码</source>
        <translation>Enrollment code</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="161"/>
        <source>CA 证书（可选）</source>
        <translation>CA certificate (optional)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="181"/>
        <source>待同步</source>
        <translation>Waiting to sync</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="186"/>
        <location filename="../../ui/sync_screen.py" line="276"/>
        <source>报名</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="186"/>
        <location filename="../../ui/sync_screen.py" line="276"/>
        <source>核验记录</source>
        <translation>Card checks</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="186"/>
        <location filename="../../ui/sync_screen.py" line="276"/>
        <source>抽奖</source>
        <translation>Prize draws</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="187"/>
        <location filename="../../ui/sync_screen.py" line="277"/>
        <source>海报</source>
        <translation>Posters</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="187"/>
        <location filename="../../ui/sync_screen.py" line="277"/>
        <source>活动</source>
        <translation>Events</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="187"/>
        <location filename="../../ui/sync_screen.py" line="278"/>
        <source>审计日志</source>
        <translation>Audit log</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="201"/>
        <source>立即同步</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="203"/>
        <source>上传本站的记录，再取回名册、认证状态、挂失和活动 (Ctrl+Enter)</source>
        <translation>Upload this station&apos;s records, then fetch the roster, verification status, lost cards and events (Ctrl+Enter)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="206"/>
        <source>取消 (Esc)</source>
        <translation>Cancel (Esc)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="218"/>
        <source>导出离线同步文件…</source>
        <translation>Export offline sync file…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="219"/>
        <source>没有网络时：把待同步的记录写成一个加密文件，用 U 盘带到平台导入</source>
        <translation>Without a network: write the waiting records to one encrypted file and take it to the platform on a USB stick</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="221"/>
        <source>导入回执…</source>
        <translation>Import receipt…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="222"/>
        <source>平台导入离线同步文件后给出的回执（.receipt.json）：导入后，平台已收下的记录不再待同步</source>
        <translation>The receipt (.receipt.json) the platform gives after importing the offline file: once imported, what the platform took no longer waits</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="236"/>
        <source>同步结果</source>
        <translation>Result</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="241"/>
        <source>还没有同步过。</source>
        <translation>Not synced yet.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="242"/>
        <location filename="../../ui/sync_screen.py" line="380"/>
        <source>需要处理：平台拒收的记录</source>
        <translation>Needs attention: records the platform refused</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="245"/>
        <source>类别</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="245"/>
        <source>记录</source>
        <translation>Record</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="245"/>
        <source>原因</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="245"/>
        <source>最近一次</source>
        <translation>Last tried</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="255"/>
        <source>没有被拒收的记录。</source>
        <translation>No refused records.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="277"/>
        <source>中奖</source>
        <translation>Wins</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="290"/>
        <source>正在取回名册</source>
        <translation>Fetching the roster</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="290"/>
        <source>正在取回实名认证状态</source>
        <translation>Fetching verification status</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="291"/>
        <source>正在取回挂失与注销</source>
        <translation>Fetching lost and cancelled cards</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="291"/>
        <source>正在取回电子会员卡公钥</source>
        <translation>Fetching e-card keys</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="292"/>
        <source>正在取回跨站提醒</source>
        <translation>Fetching cross-station notices</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="297"/>
        <source>正在取回活动</source>
        <translation>Fetching events</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="298"/>
        <source>正在上传活动</source>
        <translation>Uploading events</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="298"/>
        <source>正在上传报名</source>
        <translation>Uploading sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="299"/>
        <source>正在上传核验记录</source>
        <translation>Uploading card checks</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="299"/>
        <location filename="../../ui/sync_screen.py" line="300"/>
        <source>正在上传抽奖</source>
        <translation>Uploading prize draws</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="300"/>
        <source>正在上传海报</source>
        <translation>Uploading posters</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="301"/>
        <source>正在上传审计日志</source>
        <translation>Uploading the audit log</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="304"/>
        <source>正在同步</source>
        <translation>Syncing</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="331"/>
        <source>尚未注册到平台</source>
        <translation>Not enrolled with the platform</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="334"/>
        <source>已注册到平台：{url}（在平台上名为“{name}”）</source>
        <translation>Enrolled with the platform: {url} (known there as “{name}”)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="431"/>
        <source>请填写注册码。</source>
        <translation>Enter the enrollment code.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="437"/>
        <source>正在注册到平台…</source>
        <translation>Enrolling with the platform…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="455"/>
        <source>已注册到平台。现在可以按“立即同步”。</source>
        <translation>Enrolled with the platform. You can press “Sync now”.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="344"/>
        <source>还没有同步过</source>
        <translation>Never synced</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="346"/>
        <source>未完成（程序被中断）</source>
        <translation>not finished (the program was interrupted)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="347"/>
        <source>上次：{when}，{outcome}</source>
        <translation>Last sync: {when}, {outcome}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="351"/>
        <source>离线同步文件（{when} 导出）等待回执</source>
        <translation>Offline sync file (exported {when}) waiting for its receipt</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="359"/>
        <source>待同步：共 {n} 条</source>
        <translation>Records waiting to sync: {n}</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="360"/>
        <source>待同步：没有，全部已同步</source>
        <translation>Waiting to sync: nothing, all synced</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="379"/>
        <source>需要处理：平台拒收的记录（{n}）</source>
        <translation>Needs attention: records the platform refused ({n})</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="385"/>
        <source>成功</source>
        <translation>succeeded</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="385"/>
        <source>完成，有需要处理的事项</source>
        <translation>finished, with things to look at</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="385"/>
        <source>失败</source>
        <translation>failed</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="386"/>
        <source>已取消</source>
        <translation>cancelled</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="386"/>
        <source>进行中</source>
        <translation>running</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="401"/>
        <source>按“立即同步”上传本站记录并取回平台的更新；没有网络时可导出离线同步文件。</source>
        <translation>Press “Sync now” to upload this station&apos;s records and fetch the platform&apos;s updates; without a network, export an offline sync file.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="417"/>
        <source>选择 CA 证书文件</source>
        <translation>Choose the CA certificate file</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="418"/>
        <source>证书 (*.pem *.crt *.cer);;所有文件 (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="427"/>
        <source>请填写平台地址。</source>
        <translation>Enter the platform address.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="468"/>
        <source>正在连接平台</source>
        <translation>Connecting to the platform</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="484"/>
        <source>%v / %m 条</source>
        <translation>%v / %m records</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="491"/>
        <source>正在取消：等当前这一批完成…</source>
        <translation>Cancelling: waiting for the current batch to finish…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="521"/>
        <source>选择保存离线同步文件的文件夹（例如 U 盘）</source>
        <translation>Choose the folder for the offline sync file (a USB stick, say)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="530"/>
        <source>正在写入离线同步文件…</source>
        <translation>Writing the offline sync file…</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="538"/>
        <source>离线同步文件已写入：{path}（{n} 条记录）。交平台导入后，把回执带回来按“导入回执…”。在此之前，这些记录仍算待同步。</source>
        <translation>Offline sync file written: {path} ({n} records). Once the platform has imported it, bring the receipt back and press “Import receipt…”. Until then these records still wait to sync.</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="547"/>
        <source>选择平台给回的回执文件</source>
        <translation>Choose the receipt the platform gave back</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="548"/>
        <source>回执 (*.receipt.json *.json);;所有文件 (*)</source>
        <translation>Receipts (*.receipt.json *.json);;All files (*)</translation>
    </message>
    <message>
        <location filename="../../ui/sync_screen.py" line="557"/>
        <source>正在导入回执…</source>
        <translation>Importing the receipt…</translation>
    </message>
</context>
<context>
    <name>TodayScreen</name>
    <message>
        <location filename="../../ui/today_screen.py" line="175"/>
        <source>今日</source>
        <translation>Today</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="181"/>
        <source>刷新 (F5)</source>
        <translation>Refresh (F5)</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="183"/>
        <source>保存 PDF 日报…</source>
        <translation>Save PDF report…</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="198"/>
        <source>今日概况</source>
        <translation>Today at a glance</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="199"/>
        <source>单位与下一步去哪儿</source>
        <translation>Enterprises and where next</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="219"/>
        <source>今日登记</source>
        <translation>Sign-ups today</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="220"/>
        <source>在册会员</source>
        <translation>On the roster</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="221"/>
        <source>新会员申请</source>
        <translation>New member applications</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="222"/>
        <source>名册匹配率</source>
        <translation>Roster match rate</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="223"/>
        <source>观影 / 核验入场</source>
        <translation>Admissions (screenings, checks)</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="224"/>
        <source>未同步记录</source>
        <translation>Records not yet synced</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="225"/>
        <source>在册会员占今日登记的比例</source>
        <translation>Share of today&apos;s sign-ups who are on the roster</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="236"/>
        <location filename="../../ui/today_screen.py" line="289"/>
        <location filename="../../ui/today_screen.py" line="307"/>
        <source>单位</source>
        <translation>Enterprise</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="236"/>
        <source>登记</source>
        <translation>Sign-ups</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="236"/>
        <location filename="../../ui/today_screen.py" line="289"/>
        <location filename="../../ui/today_screen.py" line="308"/>
        <source>在册</source>
        <translation>Imported</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="236"/>
        <source>新会员</source>
        <translation>New</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="247"/>
        <source>按小时登记（绿：在册会员，蓝：新会员申请）</source>
        <translation>Sign-ups by hour (green: on the roster, blue: new member applications)</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="249"/>
        <source>今日按单位</source>
        <translation>Today by enterprise</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="251"/>
        <source>观影 / 核验：入场与容量</source>
        <translation>Screenings and checks: admissions against capacity</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="227"/>
        <source>今日的登记、核验和中奖记录中还没有被平台收下的：在“同步”页面（Ctrl+9）同步。</source>
        <translation>Today&apos;s sign-ups, card checks and wins the platform has not taken yet: sync them on the Sync screen (Ctrl+9).</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="272"/>
        <source>未同步：今日的记录（登记、核验、中奖）在平台收下之前只在本工作站上；管理员在“同步”页面（Ctrl+9）同步。</source>
        <translation>Not synced: today&apos;s records (sign-ups, card checks, wins) are only on this station until the platform takes them; an organizer syncs them on the Sync screen (Ctrl+9).</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="282"/>
        <source>按单位或工会名称筛选</source>
        <translation>Filter by enterprise or union name</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="289"/>
        <location filename="../../ui/today_screen.py" line="307"/>
        <source>工会</source>
        <translation>Union</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="289"/>
        <location filename="../../ui/today_screen.py" line="308"/>
        <source>本站已登记</source>
        <translation>Signed up here</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="289"/>
        <source>已认证</source>
        <translation>Verified</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="290"/>
        <location filename="../../ui/today_screen.py" line="308"/>
        <source>认证率</source>
        <translation>Verification rate</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="290"/>
        <source>一周登记变化</source>
        <translation>Sign-ups, 1 week</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="290"/>
        <source>一周认证率变化</source>
        <translation>Rate change, 1 week</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="307"/>
        <source>序</source>
        <translation>#</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="307"/>
        <source>可争取人数</source>
        <translation>Could reach</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="315"/>
        <source>导出下一步去哪儿 (XLSX)…</source>
        <translation>Export where next (XLSX)…</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="317"/>
        <source>下一步去哪儿</source>
        <translation>Where to go next</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="320"/>
        <source>每个工会在册前 10 的单位及在册超过 200 人的单位，按可争取的人数（在册、未认证、未在本站登记）排序。</source>
        <translation>Each union&apos;s 10 largest enterprises and every one over 200 imported, by the members a visit could reach (imported, not verified, not signed up here).</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="328"/>
        <source>筛选</source>
        <translation>Filter</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="390"/>
        <source>更新于 {time}</source>
        <translation>Updated {time}</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="396"/>
        <source>容量 {n}</source>
        <translation>Capacity {n}</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="406"/>
        <location filename="../../ui/today_screen.py" line="421"/>
        <source>实名认证状态随同步而来；同步之前显示“—”。</source>
        <translation>Real-name verification status comes with sync; until then a dash is shown.</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="423"/>
        <source>一周变化：与 {day} 的快照相比（每天第一次统计时保存一份快照）。</source>
        <translation>Change over a week: against the snapshot of {day} (a snapshot is kept the first time each day the figures are computed).</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="425"/>
        <source>{day} 的快照里没有这家单位。</source>
        <translation>This enterprise is not in the snapshot of {day}.</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="429"/>
        <source>一周变化显示“—”：还没有一周前的快照。每天第一次统计时保存一份快照，第一份保存于 {day}。</source>
        <translation>Change over a week shows a dash: there is no snapshot a week old yet. A snapshot is kept the first time each day the figures are computed; the first was kept on {day}.</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="430"/>
        <source>还没有一周前的快照（第一份保存于 {day}）。</source>
        <translation>No snapshot a week old yet (the first was kept on {day}).</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="443"/>
        <source> 个百分点</source>
        <translation> points</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="474"/>
        <source>保存 PDF 日报</source>
        <translation>Save the PDF day report</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="474"/>
        <source>日报-{day}.pdf</source>
        <translation>day-report-{day}.pdf</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="475"/>
        <source>PDF 文件 (*.pdf)</source>
        <translation>PDF files (*.pdf)</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="484"/>
        <source>正在生成 PDF 日报…</source>
        <translation>Writing the PDF day report…</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="490"/>
        <source>导出下一步去哪儿</source>
        <translation>Export where to go next</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="491"/>
        <source>下一步去哪儿-{day}.xlsx</source>
        <translation>where-next-{day}.xlsx</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="492"/>
        <source>Excel 文件 (*.xlsx)</source>
        <translation>Excel files (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../../ui/today_screen.py" line="505"/>
        <source>已保存：{path}</source>
        <translation>Saved: {path}</translation>
    </message>
</context>
<context>
    <name>UnmaskDialog</name>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="524"/>
        <source>显示完整信息</source>
        <translation>Show full details</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="528"/>
        <source>查看完整的身份证号和手机号会记入审计日志（谁、何时、为什么）。请写明原因。</source>
        <translation>Seeing a full ID number and mobile is recorded in the audit log (who, when, why). State the reason.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="531"/>
        <source>如：会员来电核对身份</source>
        <translation>e.g. member called to confirm identity</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="537"/>
        <source>显示完整</source>
        <translation>Unmask</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="540"/>
        <source>关闭</source>
        <translation>Close</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="542"/>
        <source>原因(&amp;R)</source>
        <translation>&amp;Reason</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="560"/>
        <source>请写明查看原因。</source>
        <translation>State why you need to see it.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="570"/>
        <source>已记入审计日志。关闭本窗口后不再显示。</source>
        <translation>Recorded in the audit log. Nothing stays shown once this window closes.</translation>
    </message>
    <message>
        <location filename="../../ui/admin_dialogs.py" line="571"/>
        <source>{label}：{value}</source>
        <translation>{label}: {value}</translation>
    </message>
</context>
<context>
    <name>VerdictPanel</name>
    <message>
        <location filename="../../ui/scan_screen.py" line="240"/>
        <source>请出示电子会员卡</source>
        <translation>Show your e-card</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="240"/>
        <source>扫码枪、摄像头或人工核验</source>
        <translation>Scanner, camera or manual check</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="275"/>
        <source>第 {n} 次核验 · {at}</source>
        <translation>Check no. {n} · {at}</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="281"/>
        <source>已记出场，凭此卡可再次入场</source>
        <translation>Out recorded: this card lets its holder back in</translation>
    </message>
    <message>
        <location filename="../../ui/scan_screen.py" line="283"/>
        <source>出场后返回：不另占名额</source>
        <translation>Back after going out: no extra place used</translation>
    </message>
</context>
</TS>
