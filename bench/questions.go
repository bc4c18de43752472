package bench

// Questions are realistic questions about the embedded report, as people
// ask them (taken from the answer-quality question set, two of them
// off-topic), for measuring search speed. They are not used to answer.
var Questions = []string{
	"2024年GDP增长目标是多少?",
	"今年固定资产投资要增长多少",
	"人大代表建议办理满意率是多少",
	"渝中发展面临哪些困难和挑战?",
	"渝中有多少人才?",
	"2024年的工作导向是什么",
	"政务公开工作做得怎么样",
	"民间投资情况如何",
	"这份政府工作报告是哪天作的?",
	"明天重庆天气怎么样?",
}

// CorpusQuestions are questions about the reports staff add (the State
// Council's, the provinces'), asked beside Questions when bench measures
// a reports folder.
var CorpusQuestions = []string{
	"2025年国内生产总值增长目标是多少",
	"今年赤字率拟按多少安排",
	"超长期特别国债发行多少",
	"城镇新增就业目标是多少",
	"居民消费价格涨幅目标",
	"北京市地区生产总值增长目标",
	"广东省如何推进科技创新",
	"浙江省怎样支持民营经济",
	"上海国际金融中心建设",
	"海南自由贸易港封关运作",
	"怎么做好养老服务",
	"粮食产量要达到多少",
}
