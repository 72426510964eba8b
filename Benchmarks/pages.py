"""Times the web console's pages as each role sees them, on a running server (release build).

Usage: python3 Benchmarks/pages.py BASE_URL RUNS ROLE=TOKEN...   (tokens from POST /api/v1/auth/token;
LINLI_PAGES_ONLY=REGEX times only the pages whose path matches;
the console takes the same session in its cookie). Finds a resident, building, household and request
to open through the pages themselves, then GETs every page RUNS times after a warm-up and prints a
Markdown table of p50/p99 milliseconds (loopback, so this is the server's time plus a fraction of a ms).
The one write: a request reported on the portal by typed address, whose number and code open the
tracking page (POST /track, timed like the others).
"""
import http.client, os, re, statistics, sys, time, urllib.parse

base, runs, roles = sys.argv[1], int(sys.argv[2]), dict(a.split("=", 1) for a in sys.argv[3:])
url = urllib.parse.urlparse(base)
conn = {}

def get(role, path, form=None, cookie=None, retry=True):
    """GET the page as the role, or POST `form` (a dict) with `cookie` (the portal's CSRF cookie). A connection
    left idle while other roles were timed may have been closed by the server: it is opened again once."""
    try:
        return send(role, path, form, cookie)
    except (http.client.RemoteDisconnected, ConnectionError):
        if not retry: raise
        conn.pop(role, None).close()
        return get(role, path, form, cookie, retry=False)

def send(role, path, form, cookie):
    c = conn.setdefault(role, http.client.HTTPConnection(url.hostname, url.port))
    headers = {"Cookie": "linli_session=" + roles[role]} if role in roles else {}
    if cookie: headers["Cookie"] = cookie
    if form is None:
        c.request("GET", path, headers=headers)
    else:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        c.request("POST", path, body=urllib.parse.urlencode(form), headers=headers)
    r = c.getresponse()
    return r.status, r.read().decode()

def first(role, path, pattern):
    status, body = get(role, path)
    m = re.search(pattern, body)
    return m.group(1) if m else None

pages = []  # (role, label, path[, form, cookie])
for role in roles:
    rid = hid = None
    pages += [(role, "home 工作台", "/console"),
              (role, "change password 修改密码", "/console/password"),
              (role, "residents list 居民列表", "/console/residents"),
              (role, "search by initials 拼音首字母", "/console/residents?q=zxm"),
              (role, "search by name 姓名", "/console/residents?q=" + urllib.parse.quote("张")),
              (role, "division tree 区划", "/console/divisions"),
              (role, "indicators 规划指标", "/console/indicators")]
    rid = first(role, "/console/residents", r'href="/console/residents/([0-9A-Fa-f-]{36})"')
    if rid:
        pages.append((role, "profile 居民信息", "/console/residents/" + rid))
        if get(role, "/console/residents/" + rid + "/edit")[0] == 200:
            pages.append((role, "edit resident 编辑居民", "/console/residents/" + rid + "/edit"))
        hid = first(role, "/console/residents/" + rid, r'href="/console/households/([0-9A-Fa-f-]{36})"')
        if hid:
            pages.append((role, "household 户", "/console/households/" + hid))
            bid = first(role, "/console/households/" + hid, r'href="/console/buildings/([0-9A-Fa-f-]{36})"')
            if bid: pages.append((role, "building 楼栋", "/console/buildings/" + bid))
    status, _ = get(role, "/console/requests")
    if status == 200:
        pages.append((role, "request queue 事项", "/console/requests"))
        pages.append((role, "overdue queue 红牌", "/console/requests?card=red"))
        req = first(role, "/console/requests", r'href="/console/requests/([0-9A-Fa-f-]{36})"')
        if req: pages.append((role, "request 事项详情", "/console/requests/" + req))
    if get(role, "/console/requests/board")[0] == 200:
        pages.append((role, "supervision board 督办", "/console/requests/board"))
    if get(role, "/console/residents/new")[0] == 200:
        pages.append((role, "new resident 登记居民", "/console/residents/new"))
    if get(role, "/console/import")[0] == 200:
        pages.append((role, "import 批量导入", "/console/import"))
    if get(role, "/console/care")[0] == 200:
        pages.append((role, "care roll 养老名册", "/console/care"))
        elder = first(role, "/console/care", r'href="/console/care/([0-9A-Fa-f-]{36})"')
        if elder: pages.append((role, "care file 养老档案", "/console/care/" + elder))
        pages.append((role, "care calls 紧急呼叫", "/console/care/calls"))
        pages.append((role, "care facilities 养老服务设施", "/console/care/facilities"))
    if get(role, "/console/assistance")[0] == 200:
        pages.append((role, "assistance cases 救助案件", "/console/assistance"))
        pages.append((role, "assistance overdue 超时案件", "/console/assistance?overdue=true"))
        pages.append((role, "assistance re-checks 待复核", "/console/assistance?recheck_due=true"))
        case = first(role, "/console/assistance?kind=dibao&stage=approved", r'href="/console/assistance/([0-9A-Fa-f-]{36})"')
        if case: pages.append((role, "assistance case 救助案件档案", "/console/assistance/" + case))
        if case and get(role, "/console/assistance/" + case + "/facts")[0] == 200:
            pages.append((role, "assistance facts 家庭经济状况", "/console/assistance/" + case + "/facts"))
        pages.append((role, "assistance findings 主动发现", "/console/assistance/findings"))
        pages.append((role, "assistance objections 公示异议", "/console/assistance/objections"))
        pages.append((role, "assistance standards 救助标准", "/console/assistance/standards"))
    if get(role, "/console/assistance/new")[0] == 200:
        # The form with a household's members filled in from the registry (the household of the profile above).
        household = hid if rid and hid else None
        pages.append((role, "assistance application 受理申请", "/console/assistance/new" + ("?kind=dibao&household=" + household if household else "")))
    if get(role, "/console/workers")[0] == 200:
        pages.append((role, "workers roster 社工花名册", "/console/workers"))
        pages.append((role, "workers pinyin search 拼音首字母", "/console/workers?q=wl"))
        pages.append((role, "workers expiring 注册即将到期", "/console/workers?expiring=true"))
        pages.append((role, "workers figures 队伍统计", "/console/workers/figures"))
        pages.append((role, "workers reserves 后备干部", "/console/workers/reserves"))
        pages.append((role, "workers pay scale 岗位等级薪酬", "/console/workers/grades"))
        worker = first(role, "/console/workers", r'href="/console/workers/([0-9A-Fa-f-]{36})"')
        if worker: pages.append((role, "worker file 工作者档案", "/console/workers/" + worker))
    if get(role, "/console/workers/me")[0] == 200:
        pages.append((role, "worker own record 我的档案", "/console/workers/me"))
    if get(role, "/console/housing")[0] == 200:
        pages.append((role, "housing 房屋（按楼栋）", "/console/housing"))
        pages.append((role, "rentals 出租房屋", "/console/housing/rentals"))
        pages.append((role, "units 驻区单位", "/console/housing/units"))
        rental = first(role, "/console/housing/rentals", r'href="/console/housing/rentals/([0-9A-Fa-f-]{36})"')
        if rental: pages.append((role, "rental 出租登记", "/console/housing/rentals/" + rental))
    if get(role, "/console/patrols")[0] == 200:
        pages.append((role, "patrols 网格巡查", "/console/patrols"))
    if get(role, "/console/party")[0] == 200:
        pages.append((role, "party 社区党建（党组织和数据）", "/console/party"))
        pages.append((role, "party centres 党员服务中心", "/console/party/centres"))
        pages.append((role, "party brands 党建品牌", "/console/party/brands"))
        org = first(role, "/console/party", r'href="/console/party/orgs/([0-9A-Fa-f-]{36})"')
        if org: pages.append((role, "party org 党组织", "/console/party/orgs/" + org))
    if get(role, "/console/party/members")[0] == 200:
        pages.append((role, "party roll 党员名册", "/console/party/members"))
        pages.append((role, "party roll not reported 未报到在职党员", "/console/party/members?reported=false"))
        member = first(role, "/console/party/members", r'href="/console/party/members/([0-9A-Fa-f-]{36})"')
        if member: pages.append((role, "party member 党员", "/console/party/members/" + member))
    if get(role, "/console/property")[0] == 200:
        pages.append((role, "property 小区", "/console/property"))
        pages.append((role, "property unmanaged 无人管理的小区", "/console/property?mode=none"))
        pages.append((role, "property companies 物业服务企业", "/console/property/companies"))
        pages.append((role, "property committees 业主委员会提醒", "/console/property/committees"))
        pages.append((role, "property coordination 四位一体协调会", "/console/property/coordination"))
        compound = first(role, "/console/property", r'href="/console/property/([0-9A-Fa-f-]{36})"')
        if compound: pages.append((role, "compound 小区（楼栋、业委会、合同、协调会）", "/console/property/" + compound))
        company = first(role, "/console/property/companies", r'href="/console/property/companies/([0-9A-Fa-f-]{36})"')
        if company: pages.append((role, "property company 物业服务企业", "/console/property/companies/" + company))
    if get(role, "/console/boundary")[0] == 200:
        pages.append((role, "boundary 区划调整", "/console/boundary"))
        order = first(role, "/console/boundary", r'href="/console/boundary/([0-9A-Fa-f-]{36})"')
        if order: pages.append((role, "boundary order 调整令与预览", "/console/boundary/" + order))
        merged = first(role, "/console/boundary", r'href="/console/boundary/divisions/([0-9]{12})"')
        if merged: pages.append((role, "division history 区划沿革", "/console/boundary/divisions/" + merged))
    if get(role, "/console/life")[0] == 200:
        pages.append((role, "life 社区生活（场地和汇总）", "/console/life"))
        pages.append((role, "life activities 社区活动", "/console/life/activities"))
        pages.append((role, "life bookings 今日场地预约", "/console/life/bookings"))
        pages.append((role, "life awards 评选", "/console/life/awards"))
        venue = first(role, "/console/life", r'href="/console/life/venues/([0-9A-Fa-f-]{36})"')
        if venue: pages.append((role, "life venue 场地一周预约", "/console/life/venues/" + venue))
        act = first(role, "/console/life/activities", r'href="/console/life/activities/([0-9A-Fa-f-]{36})"')
        if act: pages.append((role, "life activity 活动报名名单", "/console/life/activities/" + act))
    if get(role, "/console/facilities")[0] == 200:
        pages.append((role, "facilities 设施台账", "/console/facilities"))
        pages.append((role, "facilities coverage 服务圈覆盖", "/console/facilities/coverage"))
        pages.append((role, "facilities community map 社区设施地图", "/console/facilities/community/321271002002?kind=market"))
        facility = first(role, "/console/facilities?community=321271002001", r'href="/console/facilities/([0-9A-Fa-f-]{36})"')
        if facility: pages.append((role, "facility 设施", "/console/facilities/" + facility))
    if get(role, "/console/admission")[0] == 200:
        pages.append((role, "admission 事项准入", "/console/admission"))
        pages.append((role, "admission tasks 事项", "/console/admission/tasks"))
        pages.append((role, "admission community 社区准入事项", "/console/admission/community?community=321271002001"))
        task = first(role, "/console/admission/tasks", r'href="/console/admission/tasks/([0-9A-Fa-f-]{36})"')
        if task: pages.append((role, "admission task 事项和办理记录", "/console/admission/tasks/" + task))
    if get(role, "/console/reports")[0] == 200:
        pages.append((role, "reports 一表通报表", "/console/reports"))
        form = first(role, "/console/reports", r'href="/console/reports/([0-9A-Fa-f-]{36})"')
        if form:
            pages.append((role, "report table 各社区填报并排", "/console/reports/" + form))
            ret = first(role, "/console/reports/" + form, r'href="/console/reports/[0-9A-Fa-f-]{36}/returns/([0-9]{12})"')
            if ret: pages.append((role, "report return 社区填报", "/console/reports/" + form + "/returns/" + ret))
    if get(role, "/console/elections")[0] == 200:
        pages.append((role, "elections 换届选举", "/console/elections"))
        pages.append((role, "elections board 换届选举进展", "/console/elections/board"))
        election = first(role, "/console/elections", r'href="/console/elections/([0-9A-Fa-f-]{36})"')
        if election:
            pages.append((role, "election 选举（名单、票箱、结果）", "/console/elections/" + election))
            pages.append((role, "election roll search 选民名单首字母", "/console/elections/" + election + "?initials=W"))
    if get(role, "/console/disclosure")[0] == 200:
        pages.append((role, "disclosure 居务公开", "/console/disclosure"))
        pages.append((role, "disclosure notices 社区公告", "/console/disclosure/notices?community=321271002001"))
        pages.append((role, "disclosure ledger 财务公开", "/console/disclosure/ledger?community=321271002001"))
        notice = first(role, "/console/disclosure/notices?community=321271002001", r'href="/console/disclosure/notices/([0-9A-Fa-f-]{36})"')
        if notice: pages.append((role, "disclosure notice 公告和记录", "/console/disclosure/notices/" + notice))
    if get(role, "/console/disclosure/pending")[0] == 200:
        pages.append((role, "disclosure pending 待审核账目", "/console/disclosure/pending"))
    if get(role, "/console/supermarket")[0] == 200:
        pages.append((role, "supermarkets 爱心超市", "/console/supermarket"))
        market = first(role, "/console/supermarket", r'href="/console/supermarket/([0-9A-Fa-f-]{36})"')
        if market:
            pages.append((role, "supermarket 爱心超市物品和兑换", "/console/supermarket/" + market))
            month = time.strftime("%Y-%m")
            pages.append((role, "supermarket month 爱心超市本月兑换", "/console/supermarket/" + market + "?day=" + month))
            if get(role, "/console/supermarket/" + market + "/counter")[0] == 200:
                pages.append((role, "supermarket counter 柜台兑换", "/console/supermarket/" + market + "/counter"))
            person = first(role, "/console/supermarket/" + market + "?day=" + month, r'href="/console/supermarket/people/([0-9A-Fa-f-]{36})"')
            if person: pages.append((role, "love points ledger 爱心积分明细", "/console/supermarket/people/" + person))
            goods = first(role, "/console/supermarket/" + market, r'href="/console/supermarket/[0-9A-Fa-f-]{36}/goods/([0-9A-Fa-f-]{36})"')
            if goods: pages.append((role, "goods stock ledger 库存台账", "/console/supermarket/" + market + "/goods/" + goods))
    if get(role, "/console/supermarket/config")[0] == 200:
        pages.append((role, "supermarket rates 积分标准", "/console/supermarket/config"))
    if get(role, "/console/deliberation")[0] == 200:
        pages.append((role, "deliberation meetings 议事会议", "/console/deliberation"))
        pages.append((role, "deliberation hearings 民情恳谈会", "/console/deliberation?kind=kentan"))
        meeting = first(role, "/console/deliberation", r'href="/console/deliberation/meetings/([0-9A-Fa-f-]{36})"')
        if meeting: pages.append((role, "deliberation meeting 会议和决议", "/console/deliberation/meetings/" + meeting))
        pages.append((role, "consultations 网上议事", "/console/consultations"))
        proposal = first(role, "/console/consultations", r'href="/console/consultations/([0-9A-Fa-f-]{36})"')
        if proposal: pages.append((role, "consultation 议题和评论", "/console/consultations/" + proposal))
    if get(role, "/console/disability")[0] == 200:
        pages.append((role, "disability roll 持证残疾人", "/console/disability"))
        pages.append((role, "disability overdue 逾期未评估", "/console/disability?overdue=true"))
        pages.append((role, "disability physical 4 肢体四级", "/console/disability?category=physical&grade=4"))
        card = first(role, "/console/disability", r'href="/console/disability/([0-9A-Fa-f-]{36})"')
        if card: pages.append((role, "disability card 残疾人证", "/console/disability/" + card))
    if get(role, "/console/disability/new")[0] == 200:
        pages.append((role, "disability register 登记残疾人证", "/console/disability/new"))
    if get(role, "/console/employment")[0] == 200:
        pages.append((role, "employment register 失业登记", "/console/employment"))
        pages.append((role, "employment overdue 超过30天未联系", "/console/employment?overdue_contact=true"))
        pages.append((role, "employment designated 就业困难人员", "/console/employment?designated=true"))
        person = first(role, "/console/employment", r'href="/console/employment/([0-9A-Fa-f-]{36})"')
        if person: pages.append((role, "employment person 失业人员档案", "/console/employment/" + person))
        pages.append((role, "employment posts 公益性岗位", "/console/employment/posts"))
        post = first(role, "/console/employment/posts", r'href="/console/employment/posts/([0-9A-Fa-f-]{36})"')
        if post: pages.append((role, "employment post 岗位安置", "/console/employment/posts/" + post))
    if get(role, "/console/employment/allowances")[0] == 200:
        pages.append((role, "employment allowance roll 岗位补贴名册", "/console/employment/allowances"))
    if get(role, "/console/training")[0] == 200:
        pages.append((role, "training courses 再就业培训", "/console/training"))
        pages.append((role, "training finished 已结业培训班", "/console/training?phase=finished"))
        pages.append((role, "training follow-ups 培训待回访", "/console/training/follow-ups"))
        course = first(role, "/console/training?phase=finished", r'href="/console/training/([0-9A-Fa-f-]{36})"')
        if course: pages.append((role, "training course 培训班", "/console/training/" + course))
        trainee = first(role, "/console/training/follow-ups", r'href="/console/training/enrolments/([0-9A-Fa-f-]{36})"')
        if trainee: pages.append((role, "training trainee 学员", "/console/training/enrolments/" + trainee))
    if get(role, "/console/donations")[0] == 200:
        pages.append((role, "donation points 捐赠物资接收点", "/console/donations"))
        point = first(role, "/console/donations", r'href="/console/donations/([0-9A-Fa-f-]{36})"')
        if point:
            pages.append((role, "donation point 接收点台账", "/console/donations/" + point))
            pages.append((role, "donation hand-outs 发放台账", "/console/donations/" + point + "?kind=handed_out"))
    if get(role, "/console/organizations")[0] == 200:
        pages.append((role, "organizations 社会组织名录", "/console/organizations"))
        pages.append((role, "organizations search 社会组织拼音检索", "/console/organizations?q=sq"))
        pages.append((role, "organizations incubating 在孵组织", "/console/organizations?incubating=true"))
        org = first(role, "/console/organizations", r'href="/console/organizations/([0-9A-Fa-f-]{36})"')
        if org: pages.append((role, "organization 社会组织档案", "/console/organizations/" + org))
        pages.append((role, "organization projects 购买服务项目", "/console/organizations/projects"))
        project = first(role, "/console/organizations/projects", r'href="/console/organizations/projects/([0-9A-Fa-f-]{36})"')
        if project: pages.append((role, "organization project 项目", "/console/organizations/projects/" + project))
    if get(role, "/console/volunteers")[0] == 200:
        pages.append((role, "volunteers roll 志愿者名册", "/console/volunteers"))
        pages.append((role, "volunteers signed 已签约志愿者", "/console/volunteers?state=signed"))
        pages.append((role, "volunteers pinyin search 拼音首字母", "/console/volunteers?q=wx"))
        volunteer = first(role, "/console/volunteers?state=signed", r'href="/console/volunteers/([0-9A-Fa-f-]{36})"')
        if volunteer: pages.append((role, "volunteer file 志愿者档案", "/console/volunteers/" + volunteer))
        pages.append((role, "volunteer activities 志愿活动", "/console/volunteers/activities"))
        activity = first(role, "/console/volunteers/activities", r'href="/console/volunteers/activities/([0-9A-Fa-f-]{36})"')
        if activity: pages.append((role, "volunteer activity 活动报名和时长", "/console/volunteers/activities/" + activity))
        pages.append((role, "volunteer teams 志愿服务队", "/console/volunteers/teams"))
        pages.append((role, "volunteer performance 志愿服务绩效", "/console/volunteers/performance"))
pages.append(("anonymous", "portal 居民服务首页", "/"))
pages.append(("anonymous", "assistance notices 救助公示", "/notices"))
community = first("anonymous", "/notices", r'href="/notices/([0-9]{12})"')
if community: pages.append(("anonymous", "community notice 社区救助公示", "/notices/" + community))
pages.append(("anonymous", "donation points 捐赠接收点", "/notices/donations"))
pages.append(("anonymous", "donation point 社区捐赠接收点", "/notices/donations/321271002001"))
pages.append(("anonymous", "social organizations 社区社会组织", "/notices/organizations"))
pages.append(("anonymous", "community workers 社区工作者", "/notices/workers?community=321271002001"))
pages.append(("anonymous", "supermarkets 爱心超市", "/notices/supermarkets"))
pages.append(("anonymous", "consultations 网上议事", "/consultations"))
pages.append(("anonymous", "meeting summaries 议事会议公开", "/consultations/meetings"))
proposal = first("anonymous", "/consultations", r'href="/consultations/([0-9A-Fa-f-]{36})"')
if proposal: pages.append(("anonymous", "consultation 网上议事议题", "/consultations/" + proposal))
pages.append(("anonymous", "supermarket 街道爱心超市", "/notices/supermarkets/321271002000"))
pages.append(("anonymous", "life 社区活动与场地", "/life?community=321271002001"))
pages.append(("anonymous", "screen 社区信息屏（场地）", "/screen/321271002001?panel=2"))
pages.append(("anonymous", "screen 社区信息屏（数字）", "/screen/321271002001?panel=3"))
pages.append(("anonymous", "elections 选举公告", "/notices/elections"))
notice = first("anonymous", "/notices/elections", r'href="/notices/elections/([0-9A-Fa-f-]{36})"')
if notice: pages.append(("anonymous", "election notice 选举公告（名单脱敏）", "/notices/elections/" + notice))
pages.append(("anonymous", "public disclosure 居务公开", "/notices/public"))
pages.append(("anonymous", "community disclosure 社区居务公开", "/notices/public/321271002001"))
pages.append(("anonymous", "admission list 准入清单", "/notices/admission"))
pages.append(("anonymous", "disclosure screen 公开屏", "/notices/public/321271002001/screen"))
pages.append(("anonymous", "volunteer certificate check 证明查验", "/volunteer/certificate?code=NOSUCHCODE1"))
pages.append(("anonymous", "party centres 党员服务中心", "/notices/party-centres"))
pages.append(("anonymous", "track form 查询进度", "/track"))
# The tracking page needs a number and its code: report one request on the portal (by typed address).
c = http.client.HTTPConnection(url.hostname, url.port)
c.request("GET", "/")
r = c.getresponse()
home = r.read().decode()
token = re.search(r'name="csrf" value="([^"]+)"', home)
cookie = re.search(r'linli_portal_csrf=([^;]+)', r.getheader("Set-Cookie") or "")
if token and cookie:
    cookie = "linli_portal_csrf=" + cookie.group(1)
    status, body = get("anonymous", "/report", {"csrf": token.group(1), "category_code": "SJ0101", "description": "性能测试：小区门口垃圾未清运",
                                               "building_id": "", "address": "寺巷街道"}, cookie)
    number = re.search(r'id="request-number">([^<]+)<', body)
    code = re.search(r'id="access-code">([^<]+)<', body)
    if status == 201 and number and code:
        pages.append(("anonymous", "track 办理进度", "/track",
                      {"csrf": token.group(1), "number": number.group(1), "access_code": code.group(1)}, cookie))
    else:
        print(f"(the portal report answered {status}: the tracking page is not timed)", file=sys.stderr)

# LINLI_PAGES_ONLY=REGEX: only the pages whose path matches (a capability's pages, timed without the rest).
only = os.environ.get("LINLI_PAGES_ONLY")
if only: pages = [p for p in pages if re.search(only, p[2])]
print("| page | role | status | p50 ms | p99 ms | max ms |")
print("|---|---|---|---|---|---|")
worst = 0.0
for role, label, path, *post in pages:
    for _ in range(3): get(role, path, *post)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        status, _ = get(role, path, *post)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    p99 = times[min(len(times) - 1, int(round(0.99 * (len(times) - 1))))]
    worst = max(worst, p99)
    print(f"| {label} | {role} | {status} | {statistics.median(times):.1f} | {p99:.1f} | {times[-1]:.1f} |")
print(f"\nslowest p99: {worst:.1f} ms (target < 200 ms)")
